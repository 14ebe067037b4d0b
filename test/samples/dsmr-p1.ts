/**
 * `dsmr-p1` for the documentation samples: the real entry, except that `openP1Socket` connects to
 * a local bridge (whatever host the sample names) that sends the sample stream and hangs up.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { openP1Socket as realOpenP1Socket, type P1Connection, type P1SocketOptions } from '../../src/index.js';
import { STREAM } from './meter.js';

export * from '../../src/index.js';

const connections: Socket[] = [];
const bridge = createServer((socket) => connections.push(socket));
const listening = new Promise<number>((resolve) => bridge.listen(0, '127.0.0.1', () => resolve((bridge.address() as AddressInfo).port)));
bridge.unref();

export async function openP1Socket(options: P1SocketOptions): Promise<P1Connection> {
  const port = await listening;
  const meter = await realOpenP1Socket({ ...options, host: '127.0.0.1', port, reconnect: false });
  // send once the sample has attached its listeners or iterator
  setImmediate(() => connections.shift()?.end(Buffer.from(STREAM)));
  return meter;
}
