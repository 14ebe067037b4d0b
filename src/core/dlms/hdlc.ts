/**
 * HDLC frames (IEC 62056-46, frame format type 3), as DLMS/COSEM meters send them on HAN ports:
 *
 *   7E | A0+len (2) | destination address | source address | control | HCS (2) | information | FCS (2) | 7E
 *
 * The format field holds the segmentation bit and the length of everything between the flags, so
 * a frame is read by its length (no byte stuffing); a closing flag may open the next frame. HCS
 * and FCS are CRC-16/X-25, least significant byte first.
 *
 * The framer is incremental and resynchronising, as the DSMR framer: garbage is skipped, a chunk
 * may end anywhere, and a frame that fails its checks is reported (`CRC_MISMATCH` when its header
 * check sequence matches but its FCS does not; a `7E A…` in garbage matches no HCS) and the search
 * goes on from the byte after its opening flag, so a damaged frame never hides a good one behind
 * it. While a frame is waited for, a complete good frame after its start ends the wait (the first
 * was garbage, or was cut off: `TRUNCATED` when its header checks). It holds at most one frame
 * (2,050 bytes) and the chunk being read.
 */
import { DsmrError } from '../errors.js';
import { crc16x25 } from './crc16x25.js';

const FLAG = 0x7e;
/** frame format type 3 ("A"), in the high nibble of the format field */
const FORMAT_TYPE = 0xa;
/** the length field has 11 bits */
const MAX_LENGTH = 0x7ff;
/** format (2), destination (≥ 1), source (≥ 1), control (1), FCS (2) */
const MIN_LENGTH = 7;

/** One checked frame. */
export interface HdlcFrame {
  /** the information field (empty for a frame without one) */
  information: Uint8Array;
  /** more segments of the same message follow */
  segmented: boolean;
  /** the offset of its opening flag in the stream */
  offset: number;
}

export type HdlcEvent = { type: 'frame'; frame: HdlcFrame } | { type: 'error'; error: DsmrError };

/** What a candidate at an opening flag is: a frame, a damaged frame, not a frame, or not yet known. */
type Candidate = { kind: 'frame'; frame: Omit<HdlcFrame, 'offset'>; end: number } | { kind: 'damaged'; error: DsmrError } | { kind: 'none' } | { kind: 'more' };

export class HdlcFramer {
  /** the bytes held, `store[start..end)`: grown by doubling, compacted when half is read */
  private store = new Uint8Array(4096);
  private start = 0;
  private end = 0;
  /** the stream offset of store[start] */
  private base = 0;
  /** while a frame is waited for: stream offsets of the flags after it probed, and of those still incomplete */
  private probedTo = 0;
  private waiting: number[] = [];

  /** Frames (and errors) completed by `chunk`. */
  push(chunk: Uint8Array): HdlcEvent[] {
    this.append(chunk);
    return this.scan(false);
  }

  /** The end of the input: a frame cut off is reported. */
  flush(): HdlcEvent[] {
    return this.scan(true);
  }

  private append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.store.length) {
      const held = this.end - this.start;
      if (held + chunk.length <= this.store.length / 2) {
        this.store.copyWithin(0, this.start, this.end);
      } else {
        const grown = new Uint8Array(Math.max(this.store.length * 2, held + chunk.length));
        grown.set(this.store.subarray(this.start, this.end));
        this.store = grown;
      }
      this.start = 0;
      this.end = held;
    }
    this.store.set(chunk, this.end);
    this.end += chunk.length;
  }

  private scan(atEnd: boolean): HdlcEvent[] {
    const events: HdlcEvent[] = [];
    const bytes = this.store.subarray(this.start, this.end);
    const cutOff = (at: number): void => {
      // reported only when its header checks out: a `7E A…` in garbage is no frame
      if (!headerChecks(bytes, at)) return;
      const message = `the HDLC frame at byte ${this.base + at} is cut off before its length says`;
      events.push({ type: 'error', error: new DsmrError('TRUNCATED', message, { frame: bytes.slice(at), frameOffset: this.base + at }) });
    };
    let at = bytes.indexOf(FLAG);
    while (at >= 0) {
      const candidate = readFrame(bytes, at, this.base + at);
      if (candidate.kind === 'more') {
        // a good frame after it shows this one is none, or was cut off: read on from there
        const next = this.goodFrameAfter(bytes, at);
        if (next < 0 && !atEnd) break;
        cutOff(at);
        at = next >= 0 ? next : bytes.indexOf(FLAG, at + 1);
        continue;
      }
      if (candidate.kind === 'frame') {
        events.push({ type: 'frame', frame: { ...candidate.frame, offset: this.base + at } });
        // the closing flag may open the next frame
        at = bytes.indexOf(FLAG, candidate.end);
        continue;
      }
      if (candidate.kind === 'damaged') events.push({ type: 'error', error: candidate.error });
      at = bytes.indexOf(FLAG, at + 1);
    }
    // keep only what a frame may still begin with (at most one frame's bytes)
    const consumed = at < 0 || atEnd ? bytes.length : at;
    this.start += consumed;
    this.base += consumed;
    if (this.start === this.end) this.start = this.end = 0;
    return events;
  }

  /**
   * The first flag after `at` that opens a complete good frame, or -1. Flags that open nothing are
   * not looked at again (`probedTo`); those still incomplete are, as bytes come.
   */
  private goodFrameAfter(bytes: Uint8Array, at: number): number {
    const base = this.base;
    const flags: number[] = [];
    for (const offset of this.waiting) if (offset - base > at) flags.push(offset - base);
    for (let g = bytes.indexOf(FLAG, Math.max(at + 1, this.probedTo - base)); g >= 0; g = bytes.indexOf(FLAG, g + 1)) flags.push(g);
    this.probedTo = base + bytes.length;
    this.waiting = [];
    for (let i = 0; i < flags.length; i++) {
      const kind = readFrame(bytes, flags[i]!, 0).kind;
      if (kind === 'frame') {
        // the flags after it are looked at when a frame is waited for again
        for (const later of flags.slice(i + 1)) this.waiting.push(base + later);
        return flags[i]!;
      }
      if (kind === 'more') this.waiting.push(base + flags[i]!);
    }
    return -1;
  }
}

/** Whether the frame header at `at` is readable and its HCS matches (a frame start, not garbage). */
function headerChecks(bytes: Uint8Array, at: number): boolean {
  let p = at + 3;
  for (let address = 0; address < 2; address++) {
    const start = p;
    while (p < bytes.length && (bytes[p]! & 1) === 0) p++;
    if (p >= bytes.length || p - start > 3) return false;
    p++;
  }
  p++; // control
  if (p + 2 > bytes.length) return false;
  return (bytes[p]! | (bytes[p + 1]! << 8)) === crc16x25(bytes, at + 1, p);
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
  if (bytes[close] !== FLAG) return { kind: 'none' };
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
  if (fcs !== computed) return headerChecks(bytes, at) ? damaged('its FCS does not match', fcs, computed) : { kind: 'none' };
  // addresses: 1 to 4 bytes each, the last with its low bit set
  let p = at + 3;
  for (let address = 0; address < 2; address++) {
    const start = p;
    while (p < close - 2 && (bytes[p]! & 1) === 0) p++;
    if (p >= close - 2 || p - start > 3) return damaged('its addresses are not readable');
    p++;
  }
  p++; // control
  if (p === close - 2) return { kind: 'frame', frame: { information: new Uint8Array(0), segmented: false }, end: close };
  if (p + 2 > close - 2) return damaged('it is too short for its header check sequence');
  const hcs = bytes[p]! | (bytes[p + 1]! << 8);
  const header = crc16x25(bytes, at + 1, p);
  if (hcs !== header) return { kind: 'none' };
  return { kind: 'frame', frame: { information: bytes.slice(p + 2, close - 2), segmented: (format & 0x0800) !== 0 }, end: close };
}

/** LLC header of a DLMS message in an HDLC frame: destination and source LSAP, control. */
const LLC = [0xe6, 0xe7, 0x00] as const;

/**
 * Joins segmented frames into messages: the APDU of each, without its LLC header. A message that
 * does not start with the LLC header is given whole (some meters send none).
 */
export class HdlcMessages {
  private parts: Uint8Array[] = [];

  /** The message completed by `frame`, or null while segments are still to come. */
  add(frame: HdlcFrame): Uint8Array | null {
    this.parts.push(frame.information);
    if (frame.segmented) return null;
    const parts = this.parts;
    this.parts = [];
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    const message = new Uint8Array(length);
    let at = 0;
    for (const part of parts) {
      message.set(part, at);
      at += part.length;
    }
    const llc = message[0] === LLC[0] && (message[1] === LLC[1] || message[1] === LLC[0]) && message[2] === LLC[2];
    return llc ? message.subarray(3) : message;
  }
}
