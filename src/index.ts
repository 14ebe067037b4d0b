/**
 * dsmr-p1: read the P1 port of smart electricity meters.
 *
 * This entry holds the runtime-neutral core, the Node stream `createTelegramStream()`, and the
 * Web Streams `TelegramDecoderStream` for Node's own Web Streams (`fetch` bodies,
 * `Readable.toWeb`). Browsers, Deno and Bun use `dsmr-p1/web`; the serial adapter is
 * `dsmr-p1/serialport`.
 *
 * @packageDocumentation
 */
export * from './api.js';
export { createTelegramStream, type TelegramStream, type TelegramStreamOptions } from './stream/node.js';
export { TelegramDecoderStream, InvalidTelegramEvent, type TelegramDecoderStreamOptions } from './stream/web.js';
export { openP1Socket, type P1SocketOptions } from './stream/links/socket.js';
export { P1Connection, type ConnectionOptions, type ReconnectInfo, type ReconnectOptions, type IdleInfo, type Link } from './stream/links/connection.js';
