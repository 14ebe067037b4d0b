/**
 * DLMS/COSEM bytes, written from IEC 62056-5-3/-46 and EN 13757-2: A-XDR values, the
 * data-notification, HDLC frames (HCS, FCS, segmentation) and M-Bus long frames. `simulate`
 * builds its HAN meters with it, and the tests build their messages with it; the decoders in the
 * core are separate code.
 */
import { crc16x25 } from '../index.js';

/** An A-XDR value to encode (the types meters send). */
export type AxdrValue =
  | { type: 'null' }
  | { type: 'array' | 'structure'; items: AxdrValue[] }
  | { type: 'boolean'; value: boolean }
  | { type: 'bit-string'; bits: number; bytes: Uint8Array }
  | { type: 'integer'; tag: 0x05 | 0x06 | 0x0f | 0x10 | 0x11 | 0x12 | 0x16; value: number }
  | { type: 'long64'; tag: 0x14 | 0x15; value: bigint }
  | { type: 'float'; tag: 0x17 | 0x18; value: number }
  | { type: 'octet-string'; bytes: Uint8Array }
  | { type: 'visible-string' | 'utf8-string'; text: string }
  | { type: 'date-time' | 'date' | 'time'; bytes: Uint8Array };

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

const INTEGER_SIZE: Record<number, number> = { 0x05: 4, 0x06: 4, 0x0f: 1, 0x10: 2, 0x11: 1, 0x12: 2, 0x16: 1 };

/** The A-XDR bytes of a value: its tag, then its content (integers big-endian). */
export function encodeData(value: AxdrValue): number[] {
  switch (value.type) {
    case 'null':
      return [0x00];
    case 'array':
    case 'structure':
      return [value.type === 'array' ? 0x01 : 0x02, ...lengthBytes(value.items.length), ...value.items.flatMap(encodeData)];
    case 'boolean':
      return [0x03, value.value ? 1 : 0];
    case 'bit-string':
      return [0x04, ...lengthBytes(value.bits), ...value.bytes];
    case 'integer': {
      const size = INTEGER_SIZE[value.tag]!;
      const out: number[] = [];
      for (let i = size - 1; i >= 0; i--) out.push(Number((BigInt(value.value) >> BigInt(8 * i)) & 0xffn));
      return [value.tag, ...out];
    }
    case 'long64': {
      const out: number[] = [];
      const v = BigInt.asUintN(64, value.value);
      for (let i = 7; i >= 0; i--) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
      return [value.tag, ...out];
    }
    case 'float': {
      const view = new DataView(new ArrayBuffer(value.tag === 0x17 ? 4 : 8));
      if (value.tag === 0x17) view.setFloat32(0, value.value);
      else view.setFloat64(0, value.value);
      return [value.tag, ...new Uint8Array(view.buffer)];
    }
    case 'octet-string':
      return [0x09, ...lengthBytes(value.bytes.length), ...value.bytes];
    case 'visible-string':
      return [0x0a, ...lengthBytes(value.text.length), ...Array.from(value.text, (c) => c.charCodeAt(0))];
    case 'utf8-string': {
      const bytes = new TextEncoder().encode(value.text);
      return [0x0c, ...lengthBytes(bytes.length), ...bytes];
    }
    case 'date-time':
      return [0x19, ...value.bytes];
    case 'date':
      return [0x1a, ...value.bytes];
    case 'time':
      return [0x1b, ...value.bytes];
  }
}

/** The logical name `A-B:C.D.E[.F]` as its 6-byte octet-string (F = 255 when left out). */
export function obis(code: string): AxdrValue {
  const m = /^(\d+)-(\d+):(\d+)\.(\d+)\.(\d+)(?:\.(\d+))?$/.exec(code);
  if (m === null) throw new Error(`not an OBIS code: ${code}`);
  return { type: 'octet-string', bytes: Uint8Array.from([...m.slice(1, 6).map(Number), m[6] === undefined ? 255 : Number(m[6])]) };
}

export const u32 = (value: number): AxdrValue => ({ type: 'integer', tag: 0x06, value });
export const u16 = (value: number): AxdrValue => ({ type: 'integer', tag: 0x12, value });
export const i16 = (value: number): AxdrValue => ({ type: 'integer', tag: 0x10, value });
/** An octet-string of ASCII text (how meters send ids and list names). */
export const text = (value: string): AxdrValue => ({ type: 'octet-string', bytes: Uint8Array.from(value, (c) => c.charCodeAt(0)) });
export const structure = (...items: AxdrValue[]): AxdrValue => ({ type: 'structure', items });
export const array = (...items: AxdrValue[]): AxdrValue => ({ type: 'array', items });
export const scalerUnit = (scaler: number, unit: number): AxdrValue => structure({ type: 'integer', tag: 0x0f, value: scaler }, { type: 'integer', tag: 0x16, value: unit });

/** A COSEM date-time: wall clock, deviation in minutes (0x8000: not specified), clock status (0x80: DST). */
export function dateTime(year: number, month: number, day: number, hour: number, minute: number, second: number, deviation = 0x8000, status = 0x00): Uint8Array {
  const weekday = ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1;
  return Uint8Array.from([year >> 8, year & 0xff, month, day, weekday, hour, minute, second, 0x00, (deviation >> 8) & 0xff, deviation & 0xff, status]);
}

/** A data-notification APDU: `0F`, invoke id, date-time (absent: `00`), the body. */
export function dataNotification(body: AxdrValue, time: Uint8Array | null = null, invokeId = 0x40000000): number[] {
  const header = [0x0f, (invokeId >>> 24) & 0xff, (invokeId >> 16) & 0xff, (invokeId >> 8) & 0xff, invokeId & 0xff];
  return [...header, ...(time === null ? [0x00] : [0x09, 0x0c, ...time]), ...encodeData(body)];
}

export interface FrameOptions {
  segmented?: boolean;
  /** address bytes, the last with its low bit set */
  destination?: number[];
  source?: number[];
  control?: number;
}

/** An HDLC frame (format type 3) around `information`, flags included; HCS and FCS least significant byte first. */
export function hdlcFrame(information: Uint8Array | number[], options: FrameOptions = {}): Uint8Array {
  const { segmented = false, destination = [0x41], source = [0x08, 0x83], control = 0x13 } = options;
  const info = [...information];
  const headerLength = 2 + destination.length + source.length + 1;
  const length = headerLength + (info.length > 0 ? 2 + info.length : 0) + 2;
  const format = 0xa000 | (segmented ? 0x0800 : 0) | length;
  const body = [format >> 8, format & 0xff, ...destination, ...source, control];
  if (info.length > 0) {
    const hcs = crc16x25(Uint8Array.from(body));
    body.push(hcs & 0xff, hcs >> 8, ...info);
  }
  const fcs = crc16x25(Uint8Array.from(body));
  return Uint8Array.from([0x7e, ...body, fcs & 0xff, fcs >> 8, 0x7e]);
}

/** The LLC header DLMS messages carry in HDLC frames. */
export const LLC = [0xe6, 0xe7, 0x00];

/** An APDU in HDLC frames: the LLC header first, segments of at most `segment` bytes. */
export function hdlcMessage(apdu: number[], segment = 0x7ff - 12): Uint8Array {
  const message = [...LLC, ...apdu];
  const frames: Uint8Array[] = [];
  for (let at = 0; at < message.length; at += segment) frames.push(hdlcFrame(message.slice(at, at + segment), { segmented: at + segment < message.length }));
  return Buffer.concat(frames);
}

/** An M-Bus long frame around an APDU part: C 53, A FF, CI (below 0x10: more frames follow), STSAP 01, DTSAP 67. */
export function mbusFrame(part: Uint8Array | number[], last = true, segment = 0): Uint8Array {
  const body = [0x53, 0xff, last ? 0x10 | (segment & 0x0f) : segment & 0x0f, 0x01, 0x67, ...part];
  const checksum = body.reduce((total, byte) => (total + byte) & 0xff, 0);
  return Uint8Array.from([0x68, body.length, body.length, 0x68, ...body, checksum, 0x16]);
}

/** An APDU in M-Bus long frames of at most 250 bytes of data each. */
export function mbusMessage(apdu: Uint8Array | number[], size = 245): Uint8Array {
  const bytes = [...apdu];
  const frames: Uint8Array[] = [];
  for (let at = 0, k = 0; at < bytes.length; at += size, k++) frames.push(mbusFrame(bytes.slice(at, at + size), at + size >= bytes.length, k));
  return Buffer.concat(frames);
}
