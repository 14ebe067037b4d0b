/**
 * M-Bus long frames (EN 13757-2), as Austrian and Polish meters send DLMS on their customer port:
 *
 *   68 | L | L | 68 | C | A | CI | STSAP | DTSAP | data | CS | 16
 *
 * L counts the bytes from C to the end of the data; CS is their sum modulo 256. A CI field below
 * 0x10 says that more frames of the message follow, 0x10–0x1F that this is the last. Each frame
 * carries the transport's source and destination access points (STSAP, DTSAP) before its part of
 * the APDU.
 */
import { concatBytes } from '../bytes.js';
import { DsmrError } from '../errors.js';
import { BinaryFramer, type Candidate, type FrameFormat, type TransportFrame } from './framer.js';

/** the first byte of a long frame (and its fourth) */
export const MBUS_START = 0x68;
const STOP = 0x16;
/** C, A, CI, STSAP, DTSAP */
const MIN_LENGTH = 5;

function sum(bytes: Uint8Array, start: number, end: number): number {
  let total = 0;
  for (let i = start; i < end; i++) total += bytes[i]!;
  return total & 0xff;
}

/** `68 L L 68`: the length twice and the second start byte, the frame's only header check. */
function mbusHeaderChecks(bytes: Uint8Array, at: number): boolean {
  return bytes.length - at >= 4 && bytes[at + 1] === bytes[at + 2] && bytes[at + 3] === MBUS_START && bytes[at + 1]! >= MIN_LENGTH;
}

/**
 * Where the frame at `at` has its checksum: `'more'` while its bytes have not all come, `-1` when
 * it is no frame (no header, no stop byte where the length says).
 */
function checksumIndex(bytes: Uint8Array, at: number): number | 'more' {
  if (bytes.length - at < 4) return 'more';
  if (!mbusHeaderChecks(bytes, at)) return -1;
  const checksumAt = at + 4 + bytes[at + 1]!;
  if (checksumAt + 1 >= bytes.length) return 'more';
  return bytes[checksumAt + 1] === STOP ? checksumAt : -1;
}

/** Whether a whole M-Bus frame with a matching checksum starts at `at` (`'more'`: not all its bytes have come). */
export function mbusFrameChecks(bytes: Uint8Array, at: number): boolean | 'more' {
  const checksumAt = checksumIndex(bytes, at);
  return checksumAt === 'more' ? 'more' : checksumAt >= 0 && bytes[checksumAt] === sum(bytes, at + 4, checksumAt);
}

function readFrame(bytes: Uint8Array, at: number, streamOffset: number): Candidate {
  const checksumAt = checksumIndex(bytes, at);
  if (checksumAt === 'more') return { kind: 'more' };
  if (checksumAt < 0) return { kind: 'none' };
  const computed = sum(bytes, at + 4, checksumAt);
  if (bytes[checksumAt] !== computed) {
    const error = new DsmrError('CRC_MISMATCH', `the M-Bus frame at byte ${streamOffset} is damaged: its checksum does not match`, {
      frame: bytes.slice(at, checksumAt + 2),
      frameOffset: streamOffset,
      checksum: { expected: bytes[checksumAt]!, actual: computed },
    });
    return { kind: 'damaged', error };
  }
  const ci = bytes[at + 6]!;
  return { kind: 'frame', payload: bytes.slice(at + 7, checksumAt), more: ci < 0x10, end: checksumAt + 2 };
}

export const MBUS: FrameFormat = { name: 'M-Bus', startByte: MBUS_START, read: readFrame, headerChecks: mbusHeaderChecks };

/** M-Bus long frames from a byte stream: the framer of framer.ts with the M-Bus layout. */
export class MbusFramer extends BinaryFramer {
  constructor() {
    super(MBUS);
  }
}

/** Joins the frames of a message: the APDU, without each frame's STSAP and DTSAP. */
export class MbusMessages {
  private parts: Uint8Array[] = [];

  /** The APDU completed by `frame`, or null while frames are still to come. */
  add(frame: TransportFrame): Uint8Array | null {
    this.parts.push(frame.payload.subarray(2));
    if (frame.more) return null;
    const apdu = concatBytes(this.parts);
    this.parts = [];
    return apdu;
  }
}
