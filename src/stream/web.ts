/**
 * TelegramDecoderStream: the Web Streams version (browsers with Web Serial, Deno, Bun, Node).
 * No `node:` import and no `Buffer` anywhere in its import graph.
 */
import { expectCallback, optionsOf, type OptionNames } from '../core/arguments.js';
import { createDecoder, type Decoder, type DecoderOptions, type DecoderStats } from '../core/decoder.js';
import type { DsmrError } from '../core/errors.js';
import { DECODER_OPTIONS } from '../core/options.js';
import type { Telegram } from '../core/model/telegram.js';
import { feed, type Sink } from './deliver.js';

/** Dispatched (type `'invalid'`) for each bad telegram when no `onError` option is given. */
export class InvalidTelegramEvent extends Event {
  /** Why the telegram is bad, with its frame bytes (`frame`) and stream offset (`frameOffset`). */
  readonly error: DsmrError;

  /** @param error - the bad telegram's error */
  constructor(error: DsmrError) {
    super('invalid');
    this.error = error;
  }
}

/** Options of {@link TelegramDecoderStream}: decoder options plus how bad telegrams are reported. */
export interface TelegramDecoderStreamOptions extends DecoderOptions {
  /**
   * Called with each bad telegram instead of dispatching an `'invalid'` {@link InvalidTelegramEvent}.
   * @defaultValue none: the stream dispatches `'invalid'` events
   */
  onError?: (error: DsmrError) => void;
}

const WEB_STREAM_OPTIONS: OptionNames<TelegramDecoderStreamOptions> = { ...DECODER_OPTIONS, onError: true };

/**
 * A `TransformStream` from bytes (or strings) to parsed telegrams.
 *
 * ```ts
 * const telegrams = port.readable.pipeThrough(new TelegramDecoderStream());
 * for await (const t of telegrams) show(t);
 * ```
 */
export class TelegramDecoderStream extends TransformStream<Uint8Array | string, Telegram> {
  readonly #decoder: Decoder;
  readonly #events = new EventTarget();

  /** @throws {@link DsmrError} `INVALID_OPTION` for a bad option. */
  constructor(options: TelegramDecoderStreamOptions = {}) {
    const { onError, ...decoderOptions } = optionsOf(options, WEB_STREAM_OPTIONS);
    expectCallback(onError, 'onError');
    const decoder = createDecoder(decoderOptions);
    let report: (error: DsmrError) => void = () => {};
    const sinkOf = (controller: TransformStreamDefaultController<Telegram>): Sink => ({ telegram: (t) => controller.enqueue(t), error: (e) => report(e) });
    super({
      transform: (chunk, controller) => feed(decoder, chunk, sinkOf(controller)),
      flush: (controller) => feed(decoder, null, sinkOf(controller)),
    });
    this.#decoder = decoder;
    report = onError ?? ((error) => this.#events.dispatchEvent(new InvalidTelegramEvent(error)));
  }

  /** Counters: telegrams delivered, invalid ones reported, garbage bytes skipped, bytes received. */
  get stats(): DecoderStats {
    return this.#decoder.stats;
  }

  /** Listens for bad telegrams (dispatched only without the `onError` option). */
  addEventListener(type: 'invalid', listener: (event: InvalidTelegramEvent) => void, options?: AddEventListenerOptions | boolean): void {
    this.#events.addEventListener(type, listener as EventListener, options);
  }

  /** Removes a listener added with {@link addEventListener}. */
  removeEventListener(type: 'invalid', listener: (event: InvalidTelegramEvent) => void, options?: EventListenerOptions | boolean): void {
    this.#events.removeEventListener(type, listener as EventListener, options);
  }
}
