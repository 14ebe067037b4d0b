/**
 * parseTelegram: grammar → CRC policy → layout checks → objects → typed view. Bytes first: the
 * grammar scans bytes; strings are made only for what a telegram keeps.
 */
import { describe } from '../arguments.js';
import { decodeLatin1, encodeText } from '../bytes.js';
import { DsmrError } from '../errors.js';
import { buildFields } from '../model/build.js';
import { telegramOf } from '../model/fields.js';
import { requiresCrc } from '../model/registry.js';
import type { DsmrTelegram } from '../model/telegram.js';
import { resolveParseOptions, type ParseOptions, type ResolvedParseOptions } from '../options.js';
import { positionAt } from '../position.js';
import { Reporter, dsmrErrorAt } from '../report.js';
import { ICRNL, damagedFrameError, repairIcrnl, verifyChecksum, type CrcSource, type KnownCrc } from './crc-policy.js';
import { CR, LF, LineKind, lineKind, parseGrammar } from './grammar.js';
import { detectProfile } from './detect-profile.js';
import { checkLayout, readHeader } from './layout.js';
import { assembleObjects } from './objects.js';
import { detectSevenBit, stripParity } from './parity.js';

export type { KnownCrc } from './crc-policy.js';

/** The result of {@link safeParseTelegram}. */
export type SafeParseResult =
  | {
      /** The input is a valid telegram. */
      ok: true;
      /** The parsed telegram. */
      telegram: DsmrTelegram;
    }
  | {
      /** The input is not a valid telegram. */
      ok: false;
      /** Why not, and where. */
      error: DsmrError;
    };

/**
 * Parses one P1 telegram (`/` header … `!CRC`).
 *
 * @param input - the telegram as received: bytes (decoded one byte per character, so the CRC
 *   covers exactly what the meter sent) or a string (read one character at a time: a character
 *   up to U+00FF is one byte, a wider one its UTF-8 bytes).
 * @throws {@link DsmrError} with a code and a position when the input is not a valid telegram.
 */
export function parseTelegram(input: string | Uint8Array, options?: ParseOptions): DsmrTelegram {
  const resolved = resolveParseOptions(options);
  if (typeof input === 'string') return parseString(input, resolved);
  if (input instanceof Uint8Array) {
    // 7E1 characters read on an 8N1 port: strip the parity bit (a warning; strict: an error)
    if (detectSevenBit(input) === '7E1') return parseBytes(stripParity(input), resolved, true);
    return parseBytes(input, resolved);
  }
  throw new DsmrError('INVALID_INPUT', `parseTelegram expects a string or a Uint8Array, got ${describe(input)}`);
}

/** Like {@link parseTelegram}, but returns the error instead of throwing it. */
export function safeParseTelegram(input: string | Uint8Array, options?: ParseOptions): SafeParseResult {
  try {
    return { ok: true, telegram: parseTelegram(input, options) };
  } catch (error) {
    if (error instanceof DsmrError) return { ok: false, error };
    throw error;
  }
}

/**
 * Parses the bytes of a telegram. `parityStripped`: they were 7E1 characters read as 8N1 and had
 * their parity bit stripped. `knownCrc`: the CRC of `/`…`!` when the caller computed it.
 */
function parseBytes(bytes: Uint8Array, options: ResolvedParseOptions, parityStripped = false, knownCrc?: KnownCrc): DsmrTelegram {
  return parseSource(decodeLatin1(bytes), bytes, bytes, options, parityStripped, knownCrc);
}

/** The bytes of string input, written into one buffer kept for the next parse. */
let scratch = new Uint8Array(4096);
const encoder = /* @__PURE__ */ new TextEncoder();

function parseString(text: string, options: ResolvedParseOptions): DsmrTelegram {
  const n = text.length;
  if (scratch.length < n) scratch = new Uint8Array(Math.max(n, scratch.length * 2));
  // ASCII (every telegram in practice) in one native pass: then each character gave one byte;
  // else one byte per character up to U+00FF
  const { read, written } = encoder.encodeInto(text, scratch);
  const bytes = read === n && written === n ? scratch.subarray(0, n) : latin1Into(text, scratch);
  try {
    // a string with wider characters cannot be one byte each: the grammar scans its characters, the CRC its UTF-8
    if (bytes === null) return parseSource(text, charCodes(text), null, options);
    return parseSource(text, bytes, bytes, options);
  } finally {
    // a huge input does not keep a huge buffer
    if (scratch.length > 1 << 16) scratch = new Uint8Array(4096);
  }
}

/** One byte per character into `buffer`, or null when a character is above U+00FF. */
function latin1Into(text: string, buffer: Uint8Array): Uint8Array | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) return null;
    buffer[i] = c;
  }
  return buffer.subarray(0, text.length);
}

function charCodes(text: string): Uint16Array {
  const codes = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
  return codes;
}

/**
 * Parses a telegram: its `text`, what the grammar scans (`scan`: its bytes, or the string's
 * characters), and the bytes its CRC covers (`bytes`; `null`: encode the text).
 */
function parseSource(text: string, scan: ArrayLike<number>, bytes: Uint8Array | null, options: ResolvedParseOptions, parityStripped = false, knownCrc?: KnownCrc): DsmrTelegram {
  const source: CrcSource = { text, bytes };
  const grammar = parseGrammar(text, scan);
  if (!grammar.ok) throw grammarFailure(source, scan, grammar.offset, grammar.expected, options);
  const { header, lines, checksum, trailer } = grammar.node;

  let crcRequiredBy: string | null = null;
  let dataLineCount = 0;
  for (const node of lines) {
    if (lineKind(node) !== LineKind.Data) continue;
    dataLineCount++;
    if (crcRequiredBy === null && requiresCrc(node.code!)) crcRequiredBy = node.code!.text;
  }
  const last = lines[lines.length - 1];
  const checksumLine = last === undefined ? header.line + 1 : last.line + (last.wraps?.length ?? 0) + 1;

  const report = new Reporter(text, options.mode);
  if (parityStripped) {
    report.warn(
      'PARITY_BIT_STRIPPED',
      'the bytes are 7E1 characters read on an 8N1 port (the "/" arrived as 0xAF); bit 7 was stripped: open the port as 9600 7E1',
      Reporter.on(header.line, header.lineStart, header.offset),
    );
  }
  const crc = verifyChecksum(source, header.offset, checksum, checksumLine, crcRequiredBy, options, report, knownCrc);
  if (crc === ICRNL) return parseRepaired(text, bytes, checksum.offset, options, parityStripped);
  if (crc === null && dataLineCount === 0) {
    // a header and "!" alone: what a damaged line end in front of the data looks like
    throw dsmrErrorAt(text, 'SYNTAX', 'a telegram without CRC must have data lines before its end line "!"', Reporter.on(checksumLine, checksum.offset, checksum.offset));
  }
  checkLayout(scan, header, lines, checksum, trailer, report);
  const telegramHeader = readHeader(text, scan, header, report);
  const stage = assembleObjects(text, scan, lines, report);
  const profile = options.profile !== 'auto' ? options.profile : detectProfile(telegramHeader.raw.slice(1), stage, crc !== null);
  const fields = buildFields(stage, profile, options.timeZone, report);
  const warnings = report.warnings;
  if (warnings.length > 1) warnings.sort((a, b) => a.offset - b.offset);

  return telegramOf<DsmrTelegram>(
    { protocol: 'dsmr', header: telegramHeader, dlms: null, profile, checksum: crc, warnings, encryption: null, objects: stage.objects as DsmrTelegram['objects'] },
    fields,
  );
}

/**
 * A telegram whose CRC matched once each LF LF was read as CR LF (a tty with ICRNL): parsed as
 * repaired, with a warning. Positions are those of the repaired text (the same offsets).
 */
function parseRepaired(text: string, bytes: Uint8Array | null, checksumOffset: number, options: ResolvedParseOptions, parityStripped: boolean): DsmrTelegram {
  const repaired = repairIcrnl(text);
  const repairedBytes = bytes === null ? null : encodeText(repairIcrnl(decodeLatin1(bytes)));
  const telegram =
    repairedBytes === null ? parseSource(repaired, charCodesOrBytes(repaired), null, options, parityStripped) : parseSource(repaired, repairedBytes, repairedBytes, options, parityStripped);
  const at = positionAt(repaired, checksumOffset + 1);
  telegram.warnings.push({
    code: 'CRC_LINE_ENDINGS_REPAIRED',
    message: 'the CRC matches once each LF LF is read as CR LF: a tty in canonical mode (ICRNL) turned CR into LF; set the port raw (stty raw)',
    ...Reporter.on(at.line, at.offset - at.column + 1, at.offset),
    obis: null,
  });
  telegram.warnings.sort((a, b) => a.offset - b.offset);
  return telegram;
}

function charCodesOrBytes(text: string): ArrayLike<number> {
  return latin1Into(text, new Uint8Array(text.length)) ?? charCodes(text);
}

/**
 * The error for a telegram the grammar rejects: `CRC_MISMATCH` when its checksum line is there
 * and does not match, `TRUNCATED` when it stops on its last line, else `SYNTAX`.
 */
function grammarFailure(source: CrcSource, scan: ArrayLike<number>, offset: number, expected: string[], options: ResolvedParseOptions): DsmrError {
  const { text } = source;
  if (options.verifyCrc) {
    const damaged = damagedFrameError(source, scan);
    if (damaged !== null) return damaged;
  }
  const position = positionAt(text, offset);
  // failing on the last line, which has no line end: the input stops in the middle of the telegram
  let lineEndAfter = false;
  for (let i = offset; i < scan.length && !lineEndAfter; i++) lineEndAfter = scan[i] === CR || scan[i] === LF;
  if (text.indexOf('/') >= 0 && !lineEndAfter) {
    return dsmrErrorAt(text, 'TRUNCATED', 'the telegram ends before its checksum line "!"', position, null, { expected });
  }
  return dsmrErrorAt(text, 'SYNTAX', `expected ${listExpected(expected)}, found ${found(text, offset)}`, position, null, { expected });
}

function listExpected(expected: readonly string[]): string {
  const unique = [...new Set(expected)];
  if (unique.length <= 1) return unique[0] ?? 'a telegram';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]!}`;
}

function found(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the input';
  let end = offset;
  while (end < text.length && end - offset < 24 && text[end] !== '\r' && text[end] !== '\n') end++;
  const shown = text.slice(offset, end);
  return shown === '' ? 'a line end' : JSON.stringify(shown + (end - offset >= 24 ? '…' : ''));
}

/**
 * Parses one framed telegram for a decoder; a parse error carries the frame's bytes and stream
 * offset. `knownCrc`: the CRC of the frame's first bytes, when the framer computed it.
 */
export function parseFrame(bytes: Uint8Array, offset: number, options: ResolvedParseOptions, parityStripped = false, knownCrc?: KnownCrc): { telegram: DsmrTelegram } | { error: DsmrError } {
  try {
    return { telegram: parseBytes(bytes, options, parityStripped, knownCrc) };
  } catch (error) {
    if (!(error instanceof DsmrError)) throw error;
    return { error: error.withFrame(bytes, offset) };
  }
}
