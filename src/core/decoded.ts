/** What the decoders produce, and how a framed telegram becomes one. */
import { decodeLatin1, encodeText } from './bytes.js';
import { DsmrError } from './errors.js';
import type { ResolvedParseOptions } from './options.js';
import { parseText, type KnownCrc } from './parse.js';
import type { Telegram } from './telegram.js';

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

/**
 * The bytes of a chunk pushed into a decoder: a string counts as one byte per character (UTF-8
 * if it has wider characters). Anything else is the caller's mistake, said with a code.
 */
export function chunkBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return encodeText(chunk);
  throw new DsmrError('INVALID_INPUT', `a telegram decoder accepts Uint8Array chunks (a Node buffer is one) or strings, got ${describeChunk(chunk)}`);
}

function describeChunk(chunk: unknown): string {
  if (chunk === null) return 'null';
  if (typeof chunk === 'object') return chunk.constructor?.name ?? 'object';
  return typeof chunk;
}

/**
 * Parses one framed telegram; a parse error carries the frame's bytes and stream offset.
 * `knownCrc`: the CRC of the frame's first bytes, when the framer computed it.
 */
export function parseFrame(
  bytes: Uint8Array,
  offset: number,
  options: ResolvedParseOptions,
  parityStripped = false,
  knownCrc?: KnownCrc,
): DecodedItem {
  try {
    return { telegram: parseText(decodeLatin1(bytes), bytes, options, parityStripped, knownCrc) };
  } catch (error) {
    if (!(error instanceof DsmrError)) throw error;
    return { error: error.withFrame(bytes, offset) };
  }
}
