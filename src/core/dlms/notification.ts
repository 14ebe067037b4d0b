/**
 * The application layer of a DLMS push: general-block-transfer blocks joined into one APDU, and
 * the data-notification it carries (IEC 62056-5-3): `0F`, a 4-byte invoke id, an optional
 * date-time, then the body as A-XDR data.
 */
import { concatBytes } from '../bytes.js';
import { DsmrError } from '../errors.js';
import { decodeData, readLength, type DlmsValue } from './axdr.js';

const DATA_NOTIFICATION = 0x0f;
const GENERAL_BLOCK_TRANSFER = 0xe0;
const OCTET_STRING = 0x09;
const DATE_TIME_LENGTH = 12;

/** A COSEM date-time as sent: the wall clock, its deviation from UTC and the clock status. */
export interface DlmsDateTime {
  /** `null` where the meter sent "not specified" (0xFFFF, 0xFF) */
  year: number | null;
  month: number | null;
  day: number | null;
  hour: number | null;
  minute: number | null;
  second: number | null;
  hundredths: number | null;
  /** minutes, as the field holds them (meters disagree on its sign); `null`: not specified (0x8000) */
  deviation: number | null;
  /** clock status bits; `null`: not specified (0xFF) */
  status: number | null;
}

/** Reads the 12 bytes of a COSEM date-time. */
export function readDateTime(bytes: Uint8Array): DlmsDateTime {
  const byte = (i: number): number | null => (bytes[i] === 0xff ? null : bytes[i]!);
  const year = (bytes[0]! << 8) | bytes[1]!;
  const deviation = (bytes[9]! << 8) | bytes[10]!;
  return {
    year: year === 0xffff ? null : year,
    month: byte(2),
    day: byte(3),
    hour: byte(5),
    minute: byte(6),
    second: byte(7),
    hundredths: byte(8),
    deviation: deviation === 0x8000 ? null : (deviation << 16) >> 16,
    status: byte(11),
  };
}

export interface DataNotification {
  invokeId: number;
  /** the notification's own time stamp, when sent */
  dateTime: DlmsDateTime | null;
  body: DlmsValue;
}

/** Reads a data-notification APDU. `SYNTAX` for anything else or for a body that does not decode. */
export function readDataNotification(apdu: Uint8Array): DataNotification {
  if (apdu[0] !== DATA_NOTIFICATION) {
    throw new DsmrError('SYNTAX', `not a DLMS data-notification: the APDU starts with 0x${(apdu[0] ?? 0).toString(16).padStart(2, '0')}`, { offset: 0 });
  }
  if (apdu.length < 6) throw new DsmrError('SYNTAX', 'a data-notification cut off in its header', { offset: apdu.length });
  const invokeId = ((apdu[1]! << 24) | (apdu[2]! << 16) | (apdu[3]! << 8) | apdu[4]!) >>> 0;
  let at = 5;
  let dateTime: DlmsDateTime | null = null;
  // absent (00), an octet-string (09 0C …), or, as some meters send it, the 12 bytes after their length (0C …)
  if (apdu[at] === 0x00) {
    at += 1;
  } else {
    const start = apdu[at] === OCTET_STRING ? at + 2 : at + 1;
    const length = apdu[start - 1];
    if (length !== DATE_TIME_LENGTH || start + DATE_TIME_LENGTH > apdu.length) throw new DsmrError('SYNTAX', `a data-notification's date-time at byte ${at} is not 12 bytes`, { offset: at });
    dateTime = readDateTime(apdu.subarray(start, start + DATE_TIME_LENGTH));
    at = start + DATE_TIME_LENGTH;
  }
  const { value, end } = decodeData(apdu, at);
  if (end !== apdu.length) throw new DsmrError('SYNTAX', `${apdu.length - end} bytes after the data-notification's body`, { offset: end });
  return { invokeId, dateTime, body: value };
}

/**
 * Joins general-block-transfer blocks (`E0`, control with the last-block bit, block number, acknowledged
 * block, then the block's bytes with their length) into the APDU they carry. Returns the APDU
 * once the last block is in, else null; an APDU that is not a block passes through.
 */
export class BlockTransfer {
  private blocks: Uint8Array[] = [];
  private expected = 1;

  add(apdu: Uint8Array): Uint8Array | null {
    if (apdu[0] !== GENERAL_BLOCK_TRANSFER) return apdu;
    if (apdu.length < 7) throw new DsmrError('SYNTAX', 'a general-block-transfer block cut off in its header', { offset: apdu.length });
    const control = apdu[1]!;
    const number = (apdu[2]! << 8) | apdu[3]!;
    const { length, end: at } = readLength(apdu, 6);
    if (at + length !== apdu.length) throw new DsmrError('SYNTAX', `a general-block-transfer block of ${apdu.length - at} bytes says ${length}`, { offset: at });
    if (number !== this.expected) {
      // a block missing or out of order: the message is lost, the next one starts afresh
      const due = this.expected;
      this.blocks = [];
      this.expected = 1;
      if (number !== 1) throw new DsmrError('TRUNCATED', `general-block-transfer block ${number} came where block ${due} was due`, { offset: 2 });
    }
    this.blocks.push(apdu.subarray(at));
    this.expected++;
    if ((control & 0x80) === 0) return null;
    const joined = concatBytes(this.blocks);
    this.blocks = [];
    this.expected = 1;
    return joined;
  }
}
