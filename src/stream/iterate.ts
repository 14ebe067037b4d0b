/**
 * readTelegrams: `for await (const t of readTelegrams(source))` over any byte source: a Node
 * stream, a Web `ReadableStream` (Web Serial `port.readable`, `fetch` bodies), or any (async)
 * iterable of chunks.
 */
import { createDecoder, type DecoderOptions } from '../core/decoder.js';
import { describe, expectCallback, optionsOf, type OptionNames } from '../core/arguments.js';
import { DsmrError } from '../core/errors.js';
import { DECODER_OPTIONS } from '../core/options.js';
import type { Telegram } from '../core/model/telegram.js';
import { feed, type Sink } from './deliver.js';

/**
 * Anything that yields chunks of bytes or text: a Node `Readable`, a Web `ReadableStream`
 * (Web Serial's `port.readable`, a `fetch` body), an async generator, an array of chunks.
 */
export type ByteSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> | ReadableStream<Uint8Array | string>;

/** Options of {@link readTelegrams}: decoder options plus how bad telegrams are reported. */
export interface ReadTelegramsOptions extends DecoderOptions {
  /**
   * Called with each bad telegram (with its frame bytes and stream offset).
   * @defaultValue none: bad telegrams are skipped silently
   */
  onError?: (error: DsmrError) => void;
}

const READ_OPTIONS: OptionNames<ReadTelegramsOptions> = { ...DECODER_OPTIONS, onError: true };

function isReadableStream(source: ByteSource): source is ReadableStream<Uint8Array | string> {
  return typeof (source as Partial<ReadableStream> | null)?.getReader === 'function';
}

function isIterable(source: unknown): boolean {
  return source !== null && source !== undefined && (typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' || typeof (source as Iterable<unknown>)[Symbol.iterator] === 'function');
}

async function* chunksOf(source: ByteSource): AsyncGenerator<Uint8Array | string> {
  if (!isReadableStream(source) && !isIterable(source)) {
    throw new DsmrError('INVALID_INPUT', `readTelegrams reads a Node stream, a ReadableStream or an (async) iterable of chunks, got ${describe(source)}`);
  }
  if (isReadableStream(source) && !(Symbol.asyncIterator in source)) {
    // a ReadableStream without async iteration (Safari before 18); the types assume it has one
    const reader = (source as ReadableStream<Uint8Array | string>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  yield* source as AsyncIterable<Uint8Array | string>;
}

/**
 * Reads telegrams from a byte source, in order; bad telegrams are skipped (see `onError`).
 *
 * @throws {@link DsmrError} `INVALID_OPTION` (when iteration starts) for a bad option, `INVALID_INPUT`
 *   for a source that is none of these.
 */
export async function* readTelegrams(source: ByteSource, options: ReadTelegramsOptions = {}): AsyncGenerator<Telegram, void, undefined> {
  const { onError, ...decoderOptions } = optionsOf(options, READ_OPTIONS);
  expectCallback(onError, 'onError');
  const decoder = createDecoder(decoderOptions);
  const telegrams: Telegram[] = [];
  const sink: Sink = { telegram: (t) => telegrams.push(t), error: onError ?? (() => {}) };
  for await (const chunk of chunksOf(source)) {
    await feed(decoder, chunk, sink);
    yield* telegrams.splice(0);
  }
  await feed(decoder, null, sink);
  yield* telegrams.splice(0);
}
