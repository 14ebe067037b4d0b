/** What the decoders produce: telegrams and bad-telegram errors in stream order, and counters. */
import type { DsmrError } from './errors.js';
import type { Telegram } from './model/telegram.js';

/** Counters of a decoding stream. */
export interface DecoderStats {
  /** Telegrams parsed and delivered. */
  telegrams: number;
  /** Bad telegrams reported (CRC mismatch, syntax error, cut off, too large, not decryptable). */
  invalid: number;
  /** Bytes outside any telegram (garbage, a partial first telegram), not counting whitespace, NUL and 0xFF. */
  skippedBytes: number;
  /** Bytes received. */
  bytes: number;
}

/** One result of decoding, in stream order. */
export type DecodedItem =
  | {
      /** A telegram that parsed. */
      telegram: Telegram;
      /** Absent on a telegram. */
      error?: undefined;
    }
  | {
      /** Absent on an error. */
      telegram?: undefined;
      /** A bad telegram (with its frame bytes and stream offset): reported and skipped. */
      error: DsmrError;
    };

/** What the streams drive: plain decoding is synchronous, decryption (WebCrypto) is not. */
export interface Decoder {
  /** Decodes a chunk; returns the telegrams and errors it completed, in stream order. */
  push(chunk: Uint8Array | string): DecodedItem[] | Promise<DecodedItem[]>;
  /** Ends the input; returns what was left, e.g. a `TRUNCATED` error for a telegram cut off. */
  flush(): DecodedItem[] | Promise<DecodedItem[]>;
  /** Counters so far. */
  readonly stats: DecoderStats;
}
