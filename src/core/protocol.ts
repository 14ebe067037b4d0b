/**
 * Which protocol a byte stream speaks, from the first frame start whose own checks confirm it
 * (see {@link sniffProtocol}). Garbage before it says nothing.
 */
import { TAG, namesAManufacturer, readEncryptedHeader } from './crypto/frame-header.js';
import { HDLC_FLAG, hdlcHeaderChecks } from './dlms/hdlc.js';
import { MBUS_START, mbusFrameChecks } from './dlms/mbus.js';
import { BANG, CHECKSUM_DIGITS, SLASH, headerAt, hexDigit, isLineEnd } from './dsmr/grammar.js';
import { DsmrError } from './errors.js';
import { describe } from './arguments.js';

/** The protocols a meter's customer port speaks. */
export type Protocol = 'dsmr' | 'dlms';

/** `'auto'`: decide from the bytes. */
export type ProtocolOption = 'auto' | Protocol;

export function validateProtocol(protocol: unknown): ProtocolOption {
  if (protocol === undefined) return 'auto';
  if (protocol === 'auto' || protocol === 'dsmr' || protocol === 'dlms') return protocol;
  throw new DsmrError('INVALID_OPTION', `protocol must be 'auto', 'dsmr' or 'dlms', got ${describe(protocol)}`);
}

/** an HDLC header with 4-byte addresses and its HCS */
const SNIFF_LOOKBACK = 16;
/** the longest DSMR header line looked at (the identification is at most 96 characters) */
const MAX_HEADER_LINE = 128;

/** What the bytes show so far: a protocol, or none yet and where to look again when more come. */
export interface Sniffed {
  protocol: Protocol | null;
  /** where a frame start still waits for its bytes, else the end: pass it as `from` next time */
  resumeAt: number;
}

/**
 * The protocol of the first frame start in `bytes[from..]` that its own checks confirm: a DSMR
 * header line (printable up to its line end) or checksum line (`!` and 4 hex digits, a line
 * end), 7E1 characters too; an encrypted P1 frame header; an HDLC frame header whose HCS
 * matches; a whole M-Bus long frame whose checksum matches. One such check passing by chance in
 * binary data or garbage is rare; a single byte (`/`, `7E`, `68`) would not be.
 */
export function sniffProtocol(bytes: Uint8Array, from = 0): Sniffed {
  let resumeAt = bytes.length;
  const wait = (i: number): void => {
    if (i < resumeAt) resumeAt = i;
  };
  for (let i = from; i < bytes.length; i++) {
    const byte = bytes[i]!;
    const ascii = byte & 0x7f;
    let found: boolean | 'more' = false;
    let protocol: Protocol = 'dsmr';
    if (ascii === SLASH) {
      found = headerLine(bytes, i);
    } else if (ascii === BANG) {
      found = checksumLine(bytes, i);
    } else if (byte === TAG) {
      const layout = readEncryptedHeader(bytes, i);
      found = layout === 'more' ? 'more' : layout !== null && namesAManufacturer(layout.systemTitle);
    } else if (byte === HDLC_FLAG) {
      protocol = 'dlms';
      found = hdlcHeaderChecks(bytes, i) || (bytes.length - i < SNIFF_LOOKBACK ? 'more' : false);
    } else if (byte === MBUS_START) {
      protocol = 'dlms';
      found = mbusFrameChecks(bytes, i);
    }
    if (found === true) return { protocol, resumeAt };
    if (found === 'more') wait(i);
  }
  return { protocol: null, resumeAt };
}

/** `/XXX5…` up to a line end, every character printable (7E1 bytes read without their parity bit). */
function headerLine(bytes: Uint8Array, at: number): boolean | 'more' {
  if (bytes.length - at < 5) return 'more';
  if (!headerAt(bytes, at, bytes.length, 0x7f)) return false;
  for (let i = at + 5; i < bytes.length && i - at <= MAX_HEADER_LINE; i++) {
    const c = bytes[i]! & 0x7f;
    if (isLineEnd(c)) return true;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return bytes.length - at <= MAX_HEADER_LINE ? 'more' : false;
}

/** `!` and the 4 hex digits of a CRC, then a line end. */
function checksumLine(bytes: Uint8Array, at: number): boolean | 'more' {
  if (bytes.length - at < CHECKSUM_DIGITS + 2) return 'more';
  for (let i = 1; i <= CHECKSUM_DIGITS; i++) if (hexDigit(bytes[at + i]! & 0x7f) < 0) return false;
  return isLineEnd(bytes[at + CHECKSUM_DIGITS + 1]! & 0x7f);
}
