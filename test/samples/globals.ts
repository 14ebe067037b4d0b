/**
 * The globals the documentation samples run with: a Web Serial port and a fetch that answers the
 * sample capture's URL. Imported by each sample (never by a test file, whose worker it would
 * change for the test files after it).
 */
import { STREAM } from './meter.js';

/** Web Serial, as far as the samples use it (the browser test uses Chromium's, with a fake port). */
interface SampleSerialPort {
  readonly readable: ReadableStream<Uint8Array> | null;
  open(options: { baudRate: number; dataBits?: 7 | 8; parity?: 'none' | 'even' | 'odd'; stopBits?: 1 | 2 }): Promise<void>;
  close(): Promise<void>;
}

declare global {
  interface Navigator {
    readonly serial: { requestPort(): Promise<SampleSerialPort> };
  }
}

function fakeSerialPort(): SampleSerialPort {
  let readable: ReadableStream<Uint8Array> | null = null;
  return {
    get readable() {
      return readable;
    },
    async open() {
      // the meter's bytes in 64-byte pieces, then the cable is unplugged
      readable = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < STREAM.length; at += 64) controller.enqueue(STREAM.slice(at, at + 64));
          controller.close();
        },
      });
    },
    async close() {
      readable = null;
    },
  };
}

const serial = { requestPort: async () => fakeSerialPort() };
if (typeof globalThis.navigator === 'undefined') Object.defineProperty(globalThis, 'navigator', { value: { serial }, configurable: true });
else Object.defineProperty(globalThis.navigator, 'serial', { value: serial, configurable: true });

// fetch of the sample capture URL answers with the meter's bytes; nothing goes to the network
globalThis.fetch = async (url: string | URL | Request): Promise<Response> => {
  if (String(url) === 'https://example.com/p1-capture.log') return new Response(STREAM);
  throw new Error(`the samples fetch nothing else: ${String(url)}`);
};
