/**
 * What the documentation samples take as given (`bytes`, `frame`, `render`, a Web Serial port, …),
 * for test/docs-samples.test.ts. A sample imports the names it uses and does not declare itself.
 */
import { Readable } from 'node:stream';
import type { DsmrError, ParseOptions, Telegram } from '../../src/index.js';
import { MeterSimulator } from '../../src/cli/simulator.js';
import { encryptFrame } from '../helpers/encrypt.js';
import { STREAM, TELEGRAM } from './meter.js';

/** The key the samples read from `process.env.P1_KEY` (the test sets it). */
export const SAMPLE_KEY = '000102030405060708090A0B0C0D0E0F';

/** One telegram as bytes, as a string. */
export const bytes: Uint8Array = TELEGRAM;
export const input: Uint8Array = TELEGRAM;
export const chunk: Uint8Array = STREAM;
export const telegramText: string = Buffer.from(TELEGRAM).toString('latin1');
export const options: ParseOptions = { mode: 'lenient', timeZone: 'Europe/Amsterdam' };

/** An encrypted frame (Luxembourg Smarty, the public authentication key), and a port sending two. */
export const frame: Uint8Array = encryptFrame(TELEGRAM, { key: Buffer.from(SAMPLE_KEY, 'hex') });
export const port: Readable = Readable.from([Buffer.from(frame), Buffer.from(encryptFrame(TELEGRAM, { key: Buffer.from(SAMPLE_KEY, 'hex'), frameCounter: 2 }))]);

/** A DLMS meter's message (a Norwegian Aidon, list 3, in HDLC frames), and a HAN port sending three. */
const han = new MeterSimulator({ profile: 'no-aidon', seed: 1, start: new Date('2024-06-01T10:00:00Z') });
export const hanFrame: Uint8Array = han.nextBytes();
export const hanPort: Readable = Readable.from([Buffer.from(hanFrame), Buffer.from(han.nextBytes()), Buffer.from(han.nextBytes())]);

/** A TCP connection to a P1 bridge. */
export const socket: Readable = Readable.from([Buffer.from(STREAM)]);

const print = (telegram: Telegram): void => console.log(telegram.header?.raw, telegram.electricity.power.imported, 'kW');
export const show = print;
export const render = print;
export const use = print;
export const report = (error: DsmrError): void => console.log('bad telegram:', error.code);
export const dashboard = { update: print };
export const metrics = { count: (code: string): void => console.log('count', code) };
export const log = (message: string): void => console.log(message);
