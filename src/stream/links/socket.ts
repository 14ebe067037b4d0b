/**
 * openP1Socket: telegrams from a TCP serial bridge (ser2net, ESP-Link, P1 dongles with a raw TCP
 * port), with reconnection.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { optionsOf, type OptionNames } from '../../core/arguments.js';
import { DsmrError } from '../../core/errors.js';
import { CONNECTION_OPTIONS, P1Connection, type ConnectionOptions } from './connection.js';

/** Options of {@link openP1Socket}: where the bridge is, plus connection options. */
export interface P1SocketOptions extends ConnectionOptions {
  /** The bridge's host name or IP address. */
  host: string;
  /** The bridge's TCP port (ser2net and most P1 dongles: 2001, 23 or 8088). */
  port: number;
  /**
   * Give up a connection attempt after this many ms.
   * @defaultValue `10000`
   */
  connectTimeout?: number;
}

const SOCKET_OPTIONS: OptionNames<P1SocketOptions> = { ...CONNECTION_OPTIONS, host: true, port: true, connectTimeout: true };

function connectSocket(host: string, port: number, timeout: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connecting to ${host}:${port} timed out after ${timeout} ms`));
    }, timeout);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setKeepAlive(true, 10_000);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * Connects to a P1 bridge over TCP and reads telegrams. Resolves once connected; rejects when the
 * first connection fails. When the connection drops it reconnects with backoff until `close()`.
 *
 * ```ts
 * const meter = await openP1Socket({ host: '192.168.1.50', port: 2001 });
 * meter.on('telegram', (t) => console.log(t.electricity.power.imported));
 * ```
 *
 * @throws {@link DsmrError} `INVALID_OPTION` for a bad option; `LINK_FAILED` when the first
 *   connection fails (refused, unknown host, no answer within `connectTimeout`).
 */
export async function openP1Socket(options: P1SocketOptions): Promise<P1Connection> {
  if (typeof options !== 'object' || options === null) throw socketOptionsError();
  const { host, port, connectTimeout = 10_000, ...connectionOptions } = optionsOf(options, SOCKET_OPTIONS);
  if (typeof host !== 'string' || host === '' || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw socketOptionsError();
  }
  const connection = new P1Connection(
    `${host}:${port}`,
    async () => {
      const socket = await connectSocket(host, port, connectTimeout);
      return {
        readable: socket,
        close: async () => {
          socket.destroy();
        },
      };
    },
    connectionOptions,
  );
  await connection.open();
  return connection;
}

function socketOptionsError(): DsmrError {
  return new DsmrError('INVALID_OPTION', 'openP1Socket needs { host, port }, e.g. { host: "192.168.1.50", port: 2001 }');
}
