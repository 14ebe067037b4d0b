/**
 * dsmr-p1/web: the runtime-neutral core plus the Web Streams decoder, for browsers (Web Serial),
 * Deno and Bun. Nothing in this entry's import graph uses a `node:` module or `Buffer`.
 *
 * @packageDocumentation
 */
export * from './api.js';
export { TelegramDecoderStream, InvalidTelegramEvent, type TelegramDecoderStreamOptions } from './stream/web.js';
