/**
 * Decoders: bytes in, parsed telegrams and bad-telegram errors out. The transport-free cores that
 * the Node stream, the Web stream and the async iterator wrap.
 */
import { chunkBytes, parseFrame, type DecodedItem, type DecoderStats } from './decoded.js';
import type { DecryptionOptions } from './decrypt.js';
import { EncryptedTelegramDecoder } from './encrypted-decoder.js';
import { TelegramFramer, type FramerOptions } from './framer.js';
import { resolveParseOptions, type ParseOptions, type ResolvedParseOptions } from './options.js';
import { ParityStripper } from './parity.js';

export type { DecodedItem, DecoderStats } from './decoded.js';

/** Options of the decoding streams: parse options plus framing and decryption. */
export interface DecoderOptions extends ParseOptions, FramerOptions {
  /**
   * Decrypt encrypted P1 frames (Luxembourg Smarty) with these keys. The input is then framed by
   * the frames' length headers (`DB 08 …`), not by text.
   * @defaultValue none: the input is plain telegrams
   */
  decryption?: DecryptionOptions;
}

/** What the streams drive: plain decoding is synchronous, decryption (WebCrypto) is not. */
export interface Decoder {
  /** Decodes a chunk; returns the telegrams and errors it completed, in stream order. */
  push(chunk: Uint8Array | string): DecodedItem[] | Promise<DecodedItem[]>;
  /** Ends the input; returns what was left, e.g. a `TRUNCATED` error for a telegram cut off. */
  flush(): DecodedItem[] | Promise<DecodedItem[]>;
  /** Counters so far. */
  readonly stats: DecoderStats;
}

/** The decoder for the options: plain, or decrypting when `decryption` is given. */
export function createDecoder(options: DecoderOptions = {}): Decoder {
  return options.decryption === undefined ? new TelegramDecoder(options) : new EncryptedTelegramDecoder(options);
}

/** Decodes plain (unencrypted) telegrams. */
export class TelegramDecoder implements Decoder {
  private readonly framer: TelegramFramer;
  private readonly options: ResolvedParseOptions;
  private readonly parity = new ParityStripper();
  private delivered = 0;
  private rejected = 0;
  private received = 0;

  /** @throws {@link DsmrError} `INVALID_OPTION` for a bad option. */
  constructor(options: DecoderOptions = {}) {
    const { maxTelegramBytes, decryption: _decryption, ...parseOptions } = options;
    this.options = resolveParseOptions(parseOptions);
    this.framer = new TelegramFramer(maxTelegramBytes === undefined ? {} : { maxTelegramBytes });
  }

  /** Counters so far. */
  get stats(): DecoderStats {
    return { telegrams: this.delivered, invalid: this.rejected, skippedBytes: this.framer.skippedBytes, bytes: this.received };
  }

  /** Decodes a chunk: a string counts as one byte per character (UTF-8 if it has wider characters). */
  push(chunk: Uint8Array | string): DecodedItem[] {
    const bytes = chunkBytes(chunk);
    this.received += bytes.length;
    return this.decode(this.framer.push(this.parity.push(bytes)));
  }

  /** Ends the input: reports a telegram cut off at the end. */
  flush(): DecodedItem[] {
    const held = this.parity.flush();
    return this.decode([...(held.length > 0 ? this.framer.push(held) : []), ...this.framer.flush()]);
  }

  private decode(events: ReturnType<TelegramFramer['push']>): DecodedItem[] {
    const items: DecodedItem[] = [];
    for (const event of events) {
      if (event.type === 'error') {
        this.rejected++;
        items.push({ error: event.error });
        continue;
      }
      const item = parseFrame(event.bytes, event.offset, this.options, this.parity.stripping, { crc: event.crc, length: event.crcLength });
      if (item.telegram !== undefined) this.delivered++;
      else this.rejected++;
      items.push(item);
    }
    return items;
  }
}
