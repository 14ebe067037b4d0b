/**
 * The CRC policy: a CRC must match the telegram's bytes (`CRC_MISMATCH`); a telegram without one
 * is accepted only as DSMR 2.2/3.0 (`CRC_MISSING` when a code of the registry requires one); in
 * lenient mode, line ends a bridge or a tty rewrote are repaired when that makes the CRC match.
 */
import { encodeText } from '../bytes.js';
import { crc16, formatCrc } from '../checksum.js';
import { DsmrError, type CrcPair } from '../errors.js';
import type { ResolvedParseOptions } from '../options.js';
import { excerptAt, positionAt } from '../position.js';
import { Reporter, dsmrErrorAt } from '../report.js';
import { BANG, isLineEnd, scanChecksum, type ChecksumNode } from './grammar.js';

/** A telegram's text and the bytes its CRC covers (`null`: a string with wider characters, see encodeText). */
export interface CrcSource {
  text: string;
  bytes: Uint8Array | null;
}

/** The CRC-16 of the first `length` bytes of a telegram, already computed (by the framer). */
export interface KnownCrc {
  crc: number;
  length: number;
}

/**
 * What {@link verifyChecksum} says of a telegram read through a tty in canonical mode (ICRNL):
 * every CR became LF, so each CR LF arrived as LF LF, and the CRC matches once that is undone.
 */
export const ICRNL = 'icrnl';

/** CRC-16/ARC of `/`…`!` inclusive, over the bytes the text came from. */
function frameCrc(source: CrcSource, start: number, end: number): number {
  if (source.bytes !== null) return crc16(source.bytes, 0, start, end);
  return crc16(encodeText(source.text.slice(start, end)));
}

/** The CRC of the frame with every lone LF or CR turned back into CR LF. */
function crcWithCrLf(text: string, start: number, end: number): number {
  return crc16(encodeText(text.slice(start, end).replace(/\r\n|\r|\n/g, '\r\n')));
}

/** No CR between the header and `!`, and an LF LF: what a tty with ICRNL makes of CR LF line ends. */
function isIcrnl(text: string, start: number, end: number): boolean {
  const lflf = text.indexOf('\n\n', start);
  return lflf >= 0 && lflf < end && text.lastIndexOf('\r', end) < start;
}

/** Each LF LF back to the CR LF it was. The same length: offsets stay where they were. */
export function repairIcrnl(text: string): string {
  return text.replace(/\n\n/g, '\r\n');
}

/**
 * Checks a telegram's CRC by the policy. Returns the pair (`null`: no CRC), or {@link ICRNL}
 * when the telegram must be read again with its line ends repaired.
 *
 * @param crcRequiredBy - the first code of the telegram that requires a CRC, if any
 * @param line - the line of the checksum
 */
export function verifyChecksum(
  source: CrcSource,
  headerOffset: number,
  checksum: ChecksumNode,
  line: number,
  crcRequiredBy: string | null,
  options: ResolvedParseOptions,
  report: Reporter,
  knownCrc: KnownCrc | undefined,
): CrcPair | null | typeof ICRNL {
  const { text } = source;
  if (checksum.digits === 0) {
    if (options.verifyCrc && crcRequiredBy !== null) {
      throw dsmrErrorAt(
        text,
        'CRC_MISSING',
        `no CRC after "!", but this is no DSMR 2.2/3.0 telegram (it has ${crcRequiredBy}); pass verifyCrc: false to accept it`,
        Reporter.on(line, checksum.offset, checksum.offset + 1),
      );
    }
    return null;
  }
  const position = Reporter.on(line, checksum.offset, checksum.offset + 1);
  if (!checksum.wellFormed) {
    report.warn('CRC_FORMAT', `CRC "${text.slice(checksum.offset + 1, checksum.end)}" is not 4 upper-case hex digits`, position);
  }
  const expected = checksum.value;
  const bang = checksum.offset + 1;
  // the framer's CRC covers the same bytes when the telegram starts the frame and ends at its `!`
  const known = knownCrc !== undefined && headerOffset === 0 && knownCrc.length === bang;
  let actual = known ? knownCrc.crc : frameCrc(source, headerOffset, bang);
  if (actual !== expected && options.mode === 'lenient') {
    if (isIcrnl(text, headerOffset, checksum.offset) && crc16(encodeText(repairIcrnl(text.slice(headerOffset, bang)))) === expected) return ICRNL;
    const repaired = crcWithCrLf(text, headerOffset, bang);
    if (repaired === expected && repaired !== actual) {
      report.warn('CRC_LINE_ENDINGS_REPAIRED', 'the CRC matches the telegram with CR LF line ends: a bridge stripped them', position);
      actual = repaired;
    }
  }
  if (actual !== expected && options.verifyCrc) {
    throw dsmrErrorAt(
      text,
      'CRC_MISMATCH',
      `CRC mismatch: the telegram carries ${formatCrc(expected)}, its bytes give ${formatCrc(actual)}; the telegram is damaged`,
      position,
      null,
      { checksum: { expected, actual } },
    );
  }
  return { expected, actual };
}

/**
 * `CRC_MISMATCH` for a telegram the grammar rejects but whose checksum line (a `!` with hex digits
 * at the start of a line) is there and does not match: a damaged telegram usually fails the
 * grammar somewhere in the middle, and the CRC is the real news. Else `null`.
 */
export function damagedFrameError(source: CrcSource, scan: ArrayLike<number>): DsmrError | null {
  const { text } = source;
  const start = text.indexOf('/');
  if (start < 0) return null;
  const n = scan.length;
  for (let i = start + 1; i < n; i++) {
    if (scan[i] !== BANG || !isLineEnd(scan[i - 1]!)) continue;
    const checksum = scanChecksum(scan, i, n);
    if (checksum.digits === 0) continue;
    const expected = checksum.value;
    const actual = frameCrc(source, start, i + 1);
    if (actual === expected) return null;
    const position = positionAt(text, i + 1);
    return new DsmrError(
      'CRC_MISMATCH',
      `CRC mismatch: the telegram carries ${formatCrc(expected)}, its bytes give ${formatCrc(actual)}; the telegram is damaged (line ${position.line}, column ${position.column})\n${excerptAt(text, position)}`,
      { ...position, checksum: { expected, actual } },
    );
  }
  return null;
}
