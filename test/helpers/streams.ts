/** Runs chunks through each transport (Node Transform, Web TransformStream, async iterator). */
import { Readable } from 'node:stream';
import { createTelegramStream, readTelegrams, type DsmrError, type Telegram } from '../../src/index.js';
import { TelegramDecoderStream } from '../../src/web.js';
import type { DecoderOptions, DecoderStats } from '../../src/core/decoder.js';

export type Transport = 'node' | 'web' | 'iterator';
export const TRANSPORTS: readonly Transport[] = ['node', 'web', 'iterator'];

export interface Decoded {
  telegrams: Telegram[];
  errors: DsmrError[];
  stats: DecoderStats | null;
}

export async function decodeWith(transport: Transport, chunks: readonly (Uint8Array | string)[], options: DecoderOptions = {}): Promise<Decoded> {
  const telegrams: Telegram[] = [];
  const errors: DsmrError[] = [];
  if (transport === 'node') {
    const stream = createTelegramStream(options);
    stream.on('invalid', (error) => errors.push(error));
    // strings as strings: Readable.from would pass them through unchanged in object mode
    const source = Readable.from(chunks.map((c) => (typeof c === 'string' ? c : Buffer.from(c.buffer, c.byteOffset, c.length))), { objectMode: true });
    for await (const telegram of source.pipe(stream)) telegrams.push(telegram as Telegram);
    return { telegrams, errors, stats: stream.stats };
  }
  if (transport === 'web') {
    const stream = new TelegramDecoderStream(options);
    stream.addEventListener('invalid', (event) => errors.push(event.error));
    const source = new ReadableStream<Uint8Array | string>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    for await (const telegram of source.pipeThrough(stream)) telegrams.push(telegram);
    return { telegrams, errors, stats: stream.stats };
  }
  for await (const telegram of readTelegrams(chunks, { ...options, onError: (error) => errors.push(error) })) telegrams.push(telegram);
  return { telegrams, errors, stats: null };
}

/** Cuts bytes at the given (sorted, deduplicated) positions. */
export function cut(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
