/**
 * Reconnecting links under stress: a loop that stops never stalls the link, delays are checked,
 * and a bridge that accepts and closes at once is backed off.
 */
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { P1Connection, openP1Socket, type ReconnectInfo, type Telegram } from '../src/index.js';
import { latin1, telegramText } from './helpers/telegram.js';

const telegram = (n: number) => latin1(telegramText(['1-3:0.2.8(50)', `0-0:96.7.21(${String(n).padStart(5, '0')})`]));

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`condition not met within ${ms} ms: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A connection over an in-memory link the test writes telegrams into. */
async function memoryConnection(): Promise<{ connection: P1Connection; link: PassThrough }> {
  const link = new PassThrough();
  const connection = new P1Connection('memory', async () => ({ readable: link, close: async () => {} }), { reconnect: false });
  await connection.open();
  return { connection, link };
}

describe('an async iterator that stops', () => {
  it.each(['break', 'throw'] as const)('does not leave the link paused after a loop ends by %s while 64 telegrams behind', async (how) => {
    const { connection, link } = await memoryConnection();
    const seen: number[] = [];
    connection.on('telegram', (t: Telegram) => seen.push(t.electricity.powerFailures.count!));
    const loop = (async () => {
      for await (const _t of connection) {
        // fall behind: wait until the connection has paused the link for this slow loop
        await waitFor(() => link.isPaused());
        if (how === 'throw') throw new Error('the consumer failed');
        break;
      }
    })();
    for (let n = 1; n <= 80; n++) link.write(telegram(n));
    await (how === 'throw' ? expect(loop).rejects.toThrow('the consumer failed') : loop);
    // the link goes on: every telegram still arrives as an event
    await waitFor(() => seen.length === 80);
    for (let n = 81; n <= 85; n++) link.write(telegram(n));
    await waitFor(() => seen.length === 85);
    expect(seen).toEqual(Array.from({ length: 85 }, (_, i) => i + 1));
    expect(link.isPaused()).toBe(false);
    await connection.close();
  });

  it('keeps pausing for the loops that remain', async () => {
    const { connection, link } = await memoryConnection();
    const slow = connection[Symbol.asyncIterator]();
    const quitter = connection[Symbol.asyncIterator]();
    for (let n = 1; n <= 70; n++) link.write(telegram(n));
    await waitFor(() => link.isPaused());
    await quitter.return!();
    expect(link.isPaused()).toBe(true);
    expect((await slow.next()).value?.electricity.powerFailures.count).toBe(1);
    await connection.close();
  });
});

describe('reconnect options', () => {
  it.each([{ initialDelay: 0 }, { initialDelay: -5 }, { initialDelay: 'abc' }, { initialDelay: Number.NaN }, { maxDelay: 0 }, { initialDelay: 5000, maxDelay: 100 }, { initialDelay: Infinity }])(
    'rejects %o with INVALID_OPTION',
    (reconnect) => {
      expect(() => new P1Connection('x', async () => ({ readable: new PassThrough(), close: async () => {} }), { reconnect: reconnect as { initialDelay: number } })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION' }),
      );
    },
  );

  it('backs off on a bridge that accepts and closes at once, until a telegram arrives', async () => {
    let connections = 0;
    let sendTelegram = false;
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      connections++;
      sockets.add(socket);
      if (sendTelegram) socket.end(Buffer.from(telegram(connections)));
      else socket.destroy();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const meter = await openP1Socket({ host: '127.0.0.1', port, reconnect: { initialDelay: 2, maxDelay: 64 } });
    const delays: number[] = [];
    meter.on('reconnect', (info: ReconnectInfo) => delays.push(info.delay));
    await waitFor(() => delays.length >= 7);
    expect(delays.slice(0, 7)).toEqual([2, 4, 8, 16, 32, 64, 64]);
    // a link that brings a telegram starts the backoff anew
    sendTelegram = true;
    const telegrams: Telegram[] = [];
    meter.on('telegram', (t: Telegram) => telegrams.push(t));
    await waitFor(() => telegrams.length >= 1);
    const after = delays.length;
    await waitFor(() => delays.length > after);
    expect(delays[after]).toBe(2);
    await meter.close();
    for (const socket of sockets) socket.destroy();
    server.close();
  });
});

describe('a link that goes quiet (idleTimeout)', () => {
  /** Links that the test writes into; each connect opens the next one. */
  function quietLinks() {
    const links: PassThrough[] = [];
    const connect = async () => {
      const link = new PassThrough();
      links.push(link);
      return { readable: link, close: async () => void link.destroy() };
    };
    return { links, connect };
  }

  it("emits 'idle' after idleTimeout ms without a byte, then reconnects and reads on", async () => {
    const { links, connect } = quietLinks();
    const connection = new P1Connection('bridge:2001', connect, { idleTimeout: 60, reconnect: { initialDelay: 5 } });
    const idle: unknown[] = [];
    const reconnects: ReconnectInfo[] = [];
    const seen: number[] = [];
    connection.on('idle', (info) => idle.push(info));
    connection.on('reconnect', (info: ReconnectInfo) => reconnects.push(info));
    connection.on('telegram', (t: Telegram) => seen.push(t.electricity.powerFailures.count!));
    await connection.open();
    links[0]!.write(telegram(1));
    await waitFor(() => links.length === 2);
    expect(idle).toEqual([{ idleTimeout: 60, target: 'bridge:2001' }]);
    expect(reconnects[0]!.error).toMatchObject({ name: 'DsmrError', code: 'LINK_IDLE' });
    links[1]!.write(telegram(2));
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual([1, 2]);
    await connection.close();
  });

  it('counts from the last byte: a link that keeps bringing bytes is not idle', async () => {
    const { links, connect } = quietLinks();
    const connection = new P1Connection('x', connect, { idleTimeout: 80, reconnect: { initialDelay: 5 } });
    let idle = 0;
    connection.on('idle', () => idle++);
    await connection.open();
    for (let n = 1; n <= 8; n++) {
      links[0]!.write(telegram(n));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(idle).toBe(0);
    expect(links).toHaveLength(1);
    await connection.close();
  });

  it('does not count the time a slow iterator holds the link paused', async () => {
    const { links, connect } = quietLinks();
    const connection = new P1Connection('x', connect, { idleTimeout: 50, reconnect: { initialDelay: 5 } });
    let idle = 0;
    connection.on('idle', () => idle++);
    await connection.open();
    const iterator = connection[Symbol.asyncIterator]();
    for (let n = 1; n <= 70; n++) links[0]!.write(telegram(n));
    await waitFor(() => links[0]!.isPaused());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(idle).toBe(0);
    await iterator.return!();
    await connection.close();
  });

  it('with reconnect: false, ends the connection; idleTimeout: false waits for ever; bad values are INVALID_OPTION', async () => {
    const { connect } = quietLinks();
    const ending = new P1Connection('x', connect, { idleTimeout: 30, reconnect: false });
    const errors: Error[] = [];
    ending.on('error', (error: Error) => errors.push(error));
    const closed = new Promise((resolve) => ending.once('close', resolve));
    await ending.open();
    await closed;
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['LINK_IDLE']);

    const patient = new P1Connection('x', quietLinks().connect, { idleTimeout: false });
    let idle = 0;
    patient.on('idle', () => idle++);
    await patient.open();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(idle).toBe(0);
    await patient.close();

    for (const idleTimeout of [0, -1, Number.NaN, '30' as unknown as number]) {
      expect(() => new P1Connection('x', connect, { idleTimeout })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
  });
});
