/**
 * createTelegramStream: a Node Transform from bytes (a serial port, a socket, a file) to parsed
 * telegrams. A bad telegram never errors or ends the stream: it is reported and skipped.
 */
import { Transform, type TransformCallback, type TransformOptions } from 'node:stream';
import { describe, expectCallback, optionsOf, type OptionNames } from '../core/arguments.js';
import { createDecoder, type Decoder, type DecoderOptions, type DecoderStats } from '../core/decoder.js';
import { DECODER_OPTIONS } from '../core/options.js';
import { DsmrError } from '../core/errors.js';
import type { Telegram } from '../core/model/telegram.js';
import { feed, settle, type Sink } from './deliver.js';

/** Options of {@link createTelegramStream}: decoder options plus how bad telegrams are reported. */
export interface TelegramStreamOptions extends DecoderOptions {
  /**
   * Called with each bad telegram (CRC mismatch, syntax error, cut off, too large) instead of
   * emitting `'invalid'`. The error carries the frame's bytes (`frame`) and stream offset (`frameOffset`).
   * @defaultValue none: the stream emits `'invalid'`
   */
  onError?: (error: DsmrError) => void;
  /**
   * `highWaterMark` of the readable (telegram) side, in telegrams.
   * @defaultValue `16`
   */
  highWaterMark?: number;
}

const STREAM_OPTIONS: OptionNames<TelegramStreamOptions> = { ...DECODER_OPTIONS, onError: true, highWaterMark: true };

/** The Transform returned by {@link createTelegramStream}. */
export interface TelegramStream extends Transform {
  /** Counters: telegrams delivered, invalid ones reported, garbage bytes skipped, bytes received. */
  readonly stats: DecoderStats;
  /** A bad telegram was skipped (emitted only without the `onError` option). */
  on(event: 'invalid', listener: (error: DsmrError) => void): this;
  /** A telegram was parsed. */
  on(event: 'data', listener: (telegram: Telegram) => void): this;
  /** Any other `Transform` event. */
  on(event: string | symbol, listener: (...args: any[]) => void): this;
  /** A bad telegram was skipped (emitted only without the `onError` option). */
  once(event: 'invalid', listener: (error: DsmrError) => void): this;
  /** A telegram was parsed. */
  once(event: 'data', listener: (telegram: Telegram) => void): this;
  /** Any other `Transform` event. */
  once(event: string | symbol, listener: (...args: any[]) => void): this;
  /** Iterates the parsed telegrams: `for await (const telegram of stream)`. */
  [Symbol.asyncIterator](): AsyncIterableIterator<Telegram>;
}

class TelegramTransform extends Transform {
  private readonly decoder: Decoder;
  private readonly sink: Sink;

  constructor(options: TelegramStreamOptions) {
    const { onError, highWaterMark, ...decoderOptions } = optionsOf(options, STREAM_OPTIONS);
    expectCallback(onError, 'onError');
    if (highWaterMark !== undefined && !(Number.isInteger(highWaterMark) && highWaterMark >= 0)) {
      throw new DsmrError('INVALID_OPTION', `highWaterMark must be an integer ≥ 0 (telegrams), got ${describe(highWaterMark)}`);
    }
    const decoder = createDecoder(decoderOptions);
    const transformOptions: TransformOptions = { readableObjectMode: true, decodeStrings: false };
    if (highWaterMark !== undefined) transformOptions.readableHighWaterMark = highWaterMark;
    super(transformOptions);
    this.decoder = decoder;
    this.sink = {
      telegram: (telegram) => this.push(telegram),
      // a throwing onError or 'invalid' listener is the caller's error to see: it fails the stream
      error: (error) => (onError === undefined ? this.emit('invalid', error) : onError(error)),
    };
  }

  get stats(): DecoderStats {
    return this.decoder.stats;
  }

  // Node's Writable already refuses chunks that are not strings, Buffers or Uint8Arrays
  override _transform(chunk: Uint8Array | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    settle(() => feed(this.decoder, chunk, this.sink), callback);
  }

  override _flush(callback: TransformCallback): void {
    settle(() => feed(this.decoder, null, this.sink), callback);
  }
}

/**
 * Creates a Transform that turns bytes into {@link Telegram} objects (readable side in object mode).
 *
 * ```ts
 * port.pipe(createTelegramStream()).on('data', (t) => console.log(t.electricity.power.imported));
 * ```
 *
 * @throws {@link DsmrError} `INVALID_OPTION` for a bad option.
 */
export function createTelegramStream(options: TelegramStreamOptions = {}): TelegramStream {
  return new TelegramTransform(options) as TelegramStream;
}
