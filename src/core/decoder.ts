/**
 * TelegramDecoder: bytes in, parsed telegrams and bad-telegram errors out. The transport-free core
 * that the Node stream, the Web stream and the async iterator wrap.
 */
import { encodeText } from './bytes.js';
import { DsmrError } from './errors.js';
import { TelegramFramer, type FramerOptions } from './framer.js';
import { resolveParseOptions, type ParseOptions, type ResolvedParseOptions } from './options.js';
import { parseText } from './parse.js';
import { decodeLatin1 } from './bytes.js';
import type { Telegram } from './telegram.js';

/** Options of the decoding streams: parse options plus framing. */
export interface DecoderOptions extends ParseOptions, FramerOptions {}

/** Counters of a decoding stream. */
export interface DecoderStats {
  /** Telegrams parsed and delivered. */
  telegrams: number;
  /** Bad telegrams reported (CRC mismatch, syntax error, cut off, too large). */
  invalid: number;
  /** Bytes outside any telegram (garbage, partial first telegram), not counting whitespace, NUL and 0xFF. */
  skippedBytes: number;
  /** Bytes received. */
  bytes: number;
}

/** One result of decoding, in stream order. */
export type DecodedItem = { telegram: Telegram; error?: undefined } | { telegram?: undefined; error: DsmrError };

export class TelegramDecoder {
  private readonly framer: TelegramFramer;
  private readonly options: ResolvedParseOptions;
  private delivered = 0;
  private rejected = 0;

  /** @throws {@link DsmrError} `INVALID_OPTION` for a bad option. */
  constructor(options: DecoderOptions = {}) {
    const { maxTelegramBytes, ...parseOptions } = options;
    this.options = resolveParseOptions(parseOptions);
    this.framer = new TelegramFramer(maxTelegramBytes === undefined ? {} : { maxTelegramBytes });
  }

  get stats(): DecoderStats {
    return { telegrams: this.delivered, invalid: this.rejected, skippedBytes: this.framer.skippedBytes, bytes: this.framer.position };
  }

  /** Decodes a chunk: a string counts as one byte per character (UTF-8 if it has wider characters). */
  push(chunk: Uint8Array | string): DecodedItem[] {
    const bytes = typeof chunk === 'string' ? encodeText(chunk) : chunk;
    return this.decode(this.framer.push(bytes));
  }

  /** Ends the input: reports a telegram cut off at the end. */
  flush(): DecodedItem[] {
    return this.decode(this.framer.flush());
  }

  private decode(events: ReturnType<TelegramFramer['push']>): DecodedItem[] {
    const items: DecodedItem[] = [];
    for (const event of events) {
      if (event.type === 'error') {
        this.rejected++;
        items.push({ error: event.error });
        continue;
      }
      try {
        const telegram = parseText(decodeLatin1(event.bytes), event.bytes, this.options);
        this.delivered++;
        items.push({ telegram });
      } catch (error) {
        if (!(error instanceof DsmrError)) throw error;
        this.rejected++;
        items.push({ error: error.withFrame(event.bytes, event.offset) });
      }
    }
    return items;
  }
}
