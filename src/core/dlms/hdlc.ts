/**
 * HDLC frames (IEC 62056-46, frame format type 3), as DLMS/COSEM meters send them on HAN ports:
 *
 *   7E | A0+len (2) | destination address | source address | control | HCS (2) | information | FCS (2) | 7E
 *
 * The format field holds the segmentation bit and the length of everything between the flags, so
 * a frame is read by its length (no byte stuffing); a closing flag may open the next frame. HCS
 * and FCS are CRC-16/X-25, least significant byte first.
 *
 * A damaged frame is told from garbage by its header check sequence: `7E A…`, and a 7E where the
 * length points, are common in a stream of frames; a matching HCS is not.
 */
import { concatBytes } from '../bytes.js';
import { DsmrError } from '../errors.js';
import { crc16x25 } from './crc16x25.js';
import { BinaryFramer, type Candidate, type FrameFormat, type TransportFrame } from './framer.js';

/** the flag that opens and closes a frame */
export const HDLC_FLAG = 0x7e;
/** frame format type 3 ("A"), in the high nibble of the format field */
const FORMAT_TYPE = 0xa;
/** the length field has 11 bits */
const MAX_LENGTH = 0x7ff;
/** format (2), destination (≥ 1), source (≥ 1), control (1), FCS (2) */
const MIN_LENGTH = 7;

export const HDLC: FrameFormat = { name: 'HDLC', startByte: HDLC_FLAG, read: readFrame, headerChecks: hdlcHeaderChecks };

/** HDLC frames from a byte stream: the framer of framer.ts with the HDLC layout. */
export class HdlcFramer extends BinaryFramer {
  constructor() {
    super(HDLC);
  }
}

/**
 * The end of the frame header at `at` (after its addresses, 1 to 4 bytes each with the low bit of
 * the last set, and its control byte), where the HCS is; -1 when it is not readable before `limit`.
 */
function headerEnd(bytes: Uint8Array, at: number, limit: number): number {
  let p = at + 3;
  for (let address = 0; address < 2; address++) {
    const start = p;
    while (p < limit && (bytes[p]! & 1) === 0) p++;
    if (p >= limit || p - start > 3) return -1;
    p++;
  }
  return p + 1;
}

const hcsMatches = (bytes: Uint8Array, at: number, p: number): boolean => (bytes[p]! | (bytes[p + 1]! << 8)) === crc16x25(bytes, at + 1, p);

/** Whether the frame header at `at` is readable and its HCS matches (a frame start, not garbage). */
export function hdlcHeaderChecks(bytes: Uint8Array, at: number): boolean {
  const p = headerEnd(bytes, at, bytes.length);
  return p >= 0 && p + 2 <= bytes.length && hcsMatches(bytes, at, p);
}

/** Reads the frame whose opening flag is at `at`. */
function readFrame(bytes: Uint8Array, at: number, streamOffset: number): Candidate {
  if (bytes.length - at < 3) return { kind: 'more' };
  const format = (bytes[at + 1]! << 8) | bytes[at + 2]!;
  if (format >> 12 !== FORMAT_TYPE) return { kind: 'none' };
  const length = format & MAX_LENGTH;
  if (length < MIN_LENGTH) return { kind: 'none' };
  const close = at + 1 + length;
  if (close >= bytes.length) return { kind: 'more' };
  if (bytes[close] !== HDLC_FLAG) {
    // a header that checks out but no flag where its length ends: cut off, and the next frame began
    if (!hdlcHeaderChecks(bytes, at)) return { kind: 'none' };
    const next = bytes.indexOf(HDLC_FLAG, at + 1);
    return {
      kind: 'damaged',
      error: new DsmrError('TRUNCATED', `the HDLC frame at byte ${streamOffset} is cut off: no closing flag where its length says it ends`, {
        frame: bytes.slice(at, next < 0 || next > close ? close : next),
        frameOffset: streamOffset,
      }),
    };
  }
  const damaged = (message: string, expected?: number, actual?: number): Candidate => ({
    kind: 'damaged',
    error: new DsmrError('CRC_MISMATCH', `the HDLC frame at byte ${streamOffset} is damaged: ${message}`, {
      frame: bytes.slice(at, close + 1),
      frameOffset: streamOffset,
      ...(expected === undefined || actual === undefined ? {} : { checksum: { expected, actual } }),
    }),
  });
  const fcs = bytes[close - 2]! | (bytes[close - 1]! << 8);
  const computed = crc16x25(bytes, at + 1, close - 2);
  // a damaged frame is told from garbage by its header check: `7E A…` and a 7E at the length it
  // claims are common in a stream of frames, a matching HCS is not
  if (fcs !== computed) return hdlcHeaderChecks(bytes, at) ? damaged('its FCS does not match', fcs, computed) : { kind: 'none' };
  const p = headerEnd(bytes, at, close - 2);
  if (p < 0) return damaged('its addresses are not readable');
  if (p === close - 2) return { kind: 'frame', payload: new Uint8Array(0), more: false, end: close };
  if (p + 2 > close - 2) return damaged('it is too short for its header check sequence');
  if (!hcsMatches(bytes, at, p)) return { kind: 'none' };
  return { kind: 'frame', payload: bytes.slice(p + 2, close - 2), more: (format & 0x0800) !== 0, end: close };
}

/** LLC header of a DLMS message in an HDLC frame: destination and source LSAP, control. */
const LLC = [0xe6, 0xe7, 0x00] as const;

/** A message without its LLC header, when it has one (a bare APDU may keep it too). */
export function withoutLlc(message: Uint8Array): Uint8Array {
  const llc = message[0] === LLC[0] && (message[1] === LLC[1] || message[1] === LLC[0]) && message[2] === LLC[2];
  return llc ? message.subarray(3) : message;
}

/**
 * Joins segmented frames into messages: the APDU of each, without its LLC header. A message that
 * does not start with the LLC header is given whole (some meters send none).
 */
export class HdlcMessages {
  private parts: Uint8Array[] = [];

  /** The message completed by `frame`, or null while segments are still to come. */
  add(frame: TransportFrame): Uint8Array | null {
    this.parts.push(frame.payload);
    if (frame.more) return null;
    const message = concatBytes(this.parts);
    this.parts = [];
    return withoutLlc(message);
  }
}
