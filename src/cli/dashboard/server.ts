/**
 * The dashboard's HTTP side (node:http, no framework): the page, a snapshot as JSON, and
 * Server-Sent Events that push each reading. Holds the last reading and the last hour of power,
 * bounded, so a page opened later starts with history.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DsmrError, Telegram } from '../../index.js';
import { PowerHistory, type PowerPoint } from './history.js';
import { DASHBOARD_PAGE } from './page.js';
import { DayCounter, meterReading, type MeterReading } from './reading.js';

/** The connection to the meter, as the page shows it. */
export interface LinkStatus {
  state: 'connecting' | 'connected' | 'reconnecting' | 'idle' | 'ended';
  detail: string | null;
  telegrams: number;
  invalid: number;
  lastError: { code: string; message: string; time: string } | null;
}

export interface Snapshot {
  source: string;
  status: LinkStatus;
  reading: MeterReading | null;
  history: PowerPoint[];
}

/** Comment lines keep proxies and browsers from closing a quiet event stream. */
const HEARTBEAT_MS = 15_000;
/** Bytes a page may fall behind before it is dropped. */
const MAX_BACKLOG = 1 << 20;

export class Dashboard {
  private readonly history = new PowerHistory();
  private readonly today = new DayCounter();
  private readonly clients = new Set<ServerResponse>();
  private reading: MeterReading | null = null;
  private readonly status: LinkStatus = { state: 'connecting', detail: null, telegrams: 0, invalid: 0, lastError: null };
  private readonly server: Server;
  private readonly heartbeat: ReturnType<typeof setInterval>;

  constructor(private readonly source: string) {
    this.server = createServer((request, response) => this.handle(request, response));
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) client.write(': ping\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Listens on `host:port` (port 0: any free port); resolves with the URL. */
  listen(port: number, host: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address() as AddressInfo;
        const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        resolve(`http://${shown}:${address.port}/`);
      });
    });
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.end();
    this.clients.clear();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** A good telegram: the new reading, pushed to every page. */
  telegram(t: Telegram, received = new Date()): void {
    const reading = meterReading(t, received, this.today);
    const point: PowerPoint = { t: Date.parse(reading.time), imported: reading.power.imported, exported: reading.power.exported };
    this.history.add(point);
    this.reading = reading;
    this.status.telegrams++;
    this.status.state = 'connected';
    this.status.detail = null;
    this.broadcast('reading', { reading, point, status: this.status });
  }

  invalid(error: DsmrError): void {
    this.status.invalid++;
    this.status.lastError = { code: error.code, message: error.message.split('\n')[0]!, time: new Date().toISOString() };
    this.broadcast('status', this.status);
  }

  link(state: LinkStatus['state'], detail: string | null = null): void {
    this.status.state = state;
    this.status.detail = detail;
    this.broadcast('status', this.status);
  }

  snapshot(): Snapshot {
    return { source: this.source, status: this.status, reading: this.reading, history: this.history.points() };
  }

  /** How many pages are listening (for tests and the log). */
  get listeners(): number {
    return this.clients.size;
  }

  private broadcast(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const message = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of this.clients) {
      // a page that stops reading (a sleeping laptop) is dropped before its backlog grows: it
      // reconnects and starts from a fresh snapshot
      if (client.writableLength > MAX_BACKLOG) client.destroy();
      else client.write(message);
    }
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(DASHBOARD_PAGE);
    } else if (path === '/api/state') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(this.snapshot()));
    } else if (path === '/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      // the page reconnects by itself after 2 s when the server goes away
      response.write(`retry: 2000\nevent: snapshot\ndata: ${JSON.stringify(this.snapshot())}\n\n`);
      this.clients.add(response);
      request.on('close', () => this.clients.delete(response));
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  }
}
