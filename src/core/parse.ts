/**
 * parseTelegram: grammar → CRC policy → layout checks → objects → typed view.
 */
import { decodeLatin1, encodeText } from './bytes.js';
import { crc16, formatCrc } from './crc16.js';
import { DsmrError } from './errors.js';
import { Eol, LineKind, parseGrammar, type ChecksumNode, type HeaderNode, type LineNode } from './grammar.js';
import { ModelBuilder } from './model.js';
import { keyOfObis } from './obis.js';
import { detectSevenBit, stripParity } from './parity.js';
import { detectProfile } from './profile.js';
import { describe, resolveParseOptions, type ParseOptions, type ResolvedParseOptions } from './options.js';
import { excerptAt, positionAt } from './position.js';
import { Reporter, dsmrErrorAt } from './report.js';
import type { CosemObject, Telegram, TelegramHeader } from './telegram.js';

/** The result of {@link safeParseTelegram}. */
export type SafeParseResult =
  | {
      /** The input is a valid telegram. */
      ok: true;
      /** The parsed telegram. */
      telegram: Telegram;
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
 *   covers exactly what the meter sent) or a string.
 * @throws {@link DsmrError} with a code and a position when the input is not a valid telegram.
 */
export function parseTelegram(input: string | Uint8Array, options?: ParseOptions): Telegram {
  const resolved = resolveParseOptions(options);
  if (typeof input === 'string') return parseText(input, null, resolved);
  if (input instanceof Uint8Array) {
    // 7E1 characters read on an 8N1 port: strip the parity bit (a warning; strict: an error)
    if (detectSevenBit(input) === '7E1') {
      const stripped = stripParity(input);
      return parseText(decodeLatin1(stripped), stripped, resolved, true);
    }
    return parseText(decodeLatin1(input), input, resolved);
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
 * Lines that DSMR 2.2/3.0 do not send: a telegram with one of them is DSMR ≥ 4 or a national
 * variant of it (Belgian e-MUCS, Swedish/Austrian meters without version line), and must carry a
 * CRC. Without a CRC nothing protects a telegram, so only DSMR 2.2/3.0 may go without.
 */
// (a function, not `new Set(….map())`: a bundler keeps the impure arguments of a pure call)
const CRC_REQUIRED_BY: ReadonlySet<number> = /* @__PURE__ */ (() => new Set(['1-3:0.2.8', '0-0:96.1.4', '0-0:1.0.0'].map((code) => keyOfObis(code)!)))();

/** Keys of the codes profile detection asks about (a handful of constants). */
const KEYS = new Map<string, number | null>();
function keyOfConstant(code: string): number | null {
  let key = KEYS.get(code);
  if (key === undefined) KEYS.set(code, (key = keyOfObis(code)));
  return key;
}

/** A `24.3.0`/`24.3.1` object of DSMR 2.2/3.0 continues on the next line. */
function continuesOnNextLine(obis: string): boolean {
  return /^0-\d:24\.3\.[01]$/.test(obis);
}

/** Whitespace, NUL and 0xFF: what trails a telegram on a healthy line. */
function isFiller(c: number): boolean {
  return c === 0 || c === 0xff || c === 32 || c === 9 || c === 10 || c === 13;
}

/** The CRC-16 of the first `length` bytes of a telegram, already computed (by the framer). */
export interface KnownCrc {
  crc: number;
  length: number;
}

/**
 * Parses the text of a telegram; `bytes` are the bytes it was decoded from, if any (for the CRC).
 * `parityStripped`: the bytes were 7E1 characters read as 8N1 and had their parity bit stripped.
 * `knownCrc`: the CRC of `/`…`!` when the caller computed it, so it is not computed twice.
 */
export function parseText(
  text: string,
  bytes: Uint8Array | null,
  options: ResolvedParseOptions,
  parityStripped = false,
  knownCrc?: KnownCrc,
): Telegram {
  const grammar = parseGrammar(text);
  if (!grammar.ok) throw grammarFailure(text, bytes, grammar.offset, grammar.expected, options);
  const { header, lines, checksum, trailer } = grammar.node;

  const headerPosition = header.offset === 0 ? { line: 1, column: 1, offset: 0 } : positionAt(text, header.offset);
  let lineNumber = headerPosition.line;
  let crcRequiredBy: string | null = null;
  let dataLineCount = 0;
  for (const node of lines) {
    node.line = ++lineNumber;
    if (node.wraps !== null) lineNumber += node.wraps.length;
    if (node.kind !== LineKind.Data) continue;
    dataLineCount++;
    if (crcRequiredBy === null && CRC_REQUIRED_BY.has(node.key)) crcRequiredBy = node.obis;
  }
  const checksumLine = lineNumber + 1;

  const report = new Reporter(text, options.mode);
  if (parityStripped) {
    report.warn(
      'PARITY_BIT_STRIPPED',
      'the bytes are 7E1 characters read on an 8N1 port (the "/" arrived as 0xAF); bit 7 was stripped: open the port as 9600 7E1',
      Reporter.on(headerPosition.line, header.offset - headerPosition.column + 1, header.offset),
    );
  }
  const crc = verifyChecksum(text, bytes, header, checksum, checksumLine, crcRequiredBy, options, report, knownCrc);
  if (crc === ICRNL) {
    const repaired = repairIcrnl(text);
    const telegram = parseText(repaired, bytes === null ? null : encodeText(repairIcrnl(decodeLatin1(bytes))), options, parityStripped);
    // positions are those of the repaired text, as for every other warning of this telegram
    const at = positionAt(repaired, checksum.offset + 1);
    telegram.warnings.push({
      code: 'CRC_LINE_ENDINGS_REPAIRED',
      message: 'the CRC matches once each LF LF is read as CR LF: a tty in canonical mode (ICRNL) turned CR into LF; set the port raw (stty raw)',
      ...Reporter.on(at.line, at.offset - at.column + 1, at.offset),
      obis: null,
    });
    telegram.warnings.sort((a, b) => a.offset - b.offset);
    return telegram;
  }
  if (crc === null && dataLineCount === 0) {
    // a header and "!" alone: what a damaged line end in front of the data looks like
    throw dsmrErrorAt(text, 'SYNTAX', 'a telegram without CRC must have data lines before its end line "!"', Reporter.on(checksumLine, checksum.offset, checksum.offset));
  }
  checkFraming(text, header, lines, checksum, trailer, headerPosition.column, report);
  const telegramHeader = readHeader(header, headerPosition.line, headerPosition.column, report);

  const objects: CosemObject[] = [];
  const dataLines: LineNode[] = [];
  /** the value lines of DSMR 2.2/3.0 gas objects, by object index (rare, so kept aside) */
  let valueLines: Map<number, LineNode[]> | null = null;
  for (const node of lines) {
    if (node.kind === LineKind.Blank) continue;
    if (node.malformed) {
      report.warn(
        'MALFORMED_LINE',
        `the values of ${node.obis || 'this line'} are not well-formed "(…)" groups; kept as raw text`,
        Reporter.on(node.line, node.offset, node.offsets[0]!),
        node.obis || null,
      );
    }
    if (node.wraps !== null) {
      report.warn(
        'WRAPPED_VALUE',
        `a value of ${node.obis || 'this line'} goes on over the next line; joined`,
        Reporter.on(node.line + 1, node.wraps[0]!, node.wraps[0]!),
        node.obis || null,
      );
    }
    if (node.kind === LineKind.Data) {
      if (node.obisText !== null) {
        report.warn('OBIS_FORMAT', `OBIS code "${node.obisText}" read as ${node.obis}`, Reporter.on(node.line, node.offset, node.offset), node.obis);
      }
      // the grammar's groups have the shape of CosemValue: handed out, not copied
      objects.push({ obis: node.obis, values: node.groups, line: node.line, raw: text.slice(node.offset, node.end) });
      dataLines.push(node);
      continue;
    }
    // a value line: the continuation of the previous object
    const index = objects.length - 1;
    const previous = objects[index];
    if (previous === undefined) {
      throw dsmrErrorAt(text, 'SYNTAX', 'a value line "(…)" must follow the data line it continues', Reporter.on(node.line, node.offset, node.offset));
    }
    if (!continuesOnNextLine(previous.obis)) {
      report.warn(
        'CONTINUATION_LINE',
        `a value line after ${previous.obis}, which does not continue on the next line; appended to it`,
        Reporter.on(node.line, node.offset, node.offset),
        previous.obis,
      );
    }
    valueLines ??= new Map();
    const continued = valueLines.get(index);
    if (continued === undefined) valueLines.set(index, [node]);
    else continued.push(node);
  }
  // objects continued on value lines: their values and text, joined once (not per line)
  if (valueLines !== null) {
    for (const [index, continued] of valueLines) {
      const object = objects[index]!;
      const values = object.values.slice();
      for (const node of continued) for (const group of node.groups) values.push(group);
      object.values = values;
      object.raw = text.slice(dataLines[index]!.offset, continued[continued.length - 1]!.end);
    }
  }

  const profile =
    options.profile !== 'auto'
      ? options.profile
      : detectProfile({
          header: header.text,
          has: (obis) => {
            const key = keyOfConstant(obis);
            return dataLines.some((n) => n.key === key);
          },
          codes: () => objects.map((o) => o.obis),
          unitOf: (obis) => objects.find((o) => o.obis === obis)?.values[0]?.unit ?? null,
          hasCrc: crc !== null,
        });
  const builder = new ModelBuilder(report, options.timeZone, profile);
  for (let i = 0; i < objects.length; i++) builder.add(objects[i]!.obis, dataLines[i]!, valueLines?.get(i));
  const fields = builder.finish();
  const warnings = report.warnings;
  if (warnings.length > 1) warnings.sort((a, b) => a.offset - b.offset);

  return {
    header: telegramHeader,
    profile,
    version: fields.version,
    timestamp: fields.timestamp,
    equipmentId: fields.equipmentId,
    logicalDeviceName: fields.logicalDeviceName,
    electricity: fields.electricity,
    mbus: fields.mbus,
    messages: fields.messages,
    checksum: crc,
    warnings,
    encryption: null,
    objects,
  };
}

/** CRC-16/ARC of `/`…`!` inclusive, over the bytes the text came from. */
function frameCrc(text: string, bytes: Uint8Array | null, start: number, end: number): number {
  if (bytes !== null) return crc16(bytes, 0, start, end);
  return crc16(encodeText(text.slice(start, end)));
}

/** The CRC of the frame with every lone LF or CR turned back into CR LF. */
function crcWithCrLf(text: string, start: number, end: number): number {
  const frame = text.slice(start, end).replace(/\r\n|\r|\n/g, '\r\n');
  return crc16(encodeText(frame));
}

/**
 * What {@link verifyChecksum} says of a telegram read through a tty in canonical mode (ICRNL):
 * every CR became LF, so each CR LF arrived as LF LF, and the CRC matches once that is undone.
 */
const ICRNL = 'icrnl';

/** No CR between the header and `!`, and an LF LF: what a tty with ICRNL makes of CR LF line ends. */
function isIcrnl(text: string, start: number, end: number): boolean {
  const lflf = text.indexOf('\n\n', start);
  return lflf >= 0 && lflf < end && text.lastIndexOf('\r', end) < start;
}

/** Each LF LF back to the CR LF it was. The same length: offsets stay where they were. */
function repairIcrnl(text: string): string {
  return text.replace(/\n\n/g, '\r\n');
}

function verifyChecksum(
  text: string,
  bytes: Uint8Array | null,
  header: HeaderNode,
  checksum: ChecksumNode,
  line: number,
  crcRequiredBy: string | null,
  options: ResolvedParseOptions,
  report: Reporter,
  knownCrc: KnownCrc | undefined,
): { expected: number; actual: number } | null | typeof ICRNL {
  const { hex } = checksum;
  if (hex === '') {
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
  if (hex.length !== 4 || /[a-f]/.test(hex)) {
    report.warn('CRC_FORMAT', `CRC "${hex}" is not 4 upper-case hex digits`, position);
  }
  const expected = parseInt(hex, 16);
  // the framer's CRC covers the same bytes when the telegram starts the frame and ends at its `!`
  const known = knownCrc !== undefined && header.offset === 0 && knownCrc.length === checksum.offset + 1;
  let actual = known ? knownCrc.crc : frameCrc(text, bytes, header.offset, checksum.offset + 1);
  if (actual !== expected && options.mode === 'lenient') {
    if (isIcrnl(text, header.offset, checksum.offset) && crc16(encodeText(repairIcrnl(text.slice(header.offset, checksum.offset + 1)))) === expected) {
      return ICRNL;
    }
    const repaired = crcWithCrLf(text, header.offset, checksum.offset + 1);
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

/** Line ends, the blank line after the header, bytes before and after the telegram. */
function checkFraming(
  text: string,
  header: HeaderNode,
  lines: readonly LineNode[],
  checksum: ChecksumNode,
  trailer: number,
  headerColumn: number,
  report: Reporter,
): void {
  for (let i = 0; i < header.offset; i++) {
    if (!isFiller(text.charCodeAt(i))) {
      report.warn('LEADING_DATA', 'text before the header "/" is ignored', report.at(i));
      break;
    }
  }
  if (header.eol !== Eol.CrLf) {
    const headerStart = header.offset - headerColumn + 1;
    report.warn('LINE_ENDING', lineEndMessage(header.eol), Reporter.on(report.at(header.offset).line, headerStart, header.end));
  } else {
    for (const node of lines) {
      if (node.eol !== Eol.CrLf) {
        report.warn('LINE_ENDING', lineEndMessage(node.eol), Reporter.on(node.line, node.offset, node.end));
        break;
      }
    }
  }
  const first = lines[0];
  if (first === undefined || first.kind !== LineKind.Blank) {
    const line = first?.line ?? report.at(checksum.offset).line;
    const offset = first?.offset ?? checksum.offset;
    report.warn('MISSING_BLANK_LINE', 'no empty line after the header', Reporter.on(line, offset, offset));
  }
  for (let i = 1; i < lines.length; i++) {
    const node = lines[i]!;
    if (node.kind === LineKind.Blank) report.warn('EXTRA_BLANK_LINE', 'an empty line inside the telegram', Reporter.on(node.line, node.offset, node.offset));
  }
  for (let i = trailer; i < text.length; i++) {
    if (!isFiller(text.charCodeAt(i))) {
      report.warn('TRAILING_DATA', 'text after the checksum line is not part of the telegram', report.at(i));
      break;
    }
  }
}

function lineEndMessage(eol: Eol): string {
  return eol === Eol.Lf ? 'lines end in LF instead of CR LF' : eol === Eol.Cr ? 'lines end in CR instead of CR LF' : 'a line has no line end';
}

/** `/` + manufacturer (3) + baud character + identification. */
function readHeader(header: HeaderNode, line: number, column: number, report: Reporter): TelegramHeader {
  const { text } = header;
  // eslint-disable-next-line no-control-regex
  if (!/^[A-Za-z]{3}\d[\x20-\x7e]*$/.test(text)) {
    report.warn(
      'HEADER_FORMAT',
      'the header is not "/" + 3-letter manufacturer + baud digit + printable identification',
      Reporter.on(line, header.offset - column + 1, header.offset),
    );
  }
  return { raw: `/${text}`, manufacturer: text.slice(0, 3), baudRate: text.slice(3, 4), identification: text.slice(4) };
}

/**
 * The error for a telegram the grammar rejects. A damaged telegram usually fails the grammar
 * somewhere in the middle; when it carries a CRC that does not match, that is the real news.
 */
function grammarFailure(
  text: string,
  bytes: Uint8Array | null,
  offset: number,
  expected: string[],
  options: ResolvedParseOptions,
): DsmrError {
  if (options.verifyCrc) {
    const damaged = damagedFrameError(text, bytes);
    if (damaged !== null) return damaged;
  }
  const position = positionAt(text, offset);
  // failing on the last line, which has no line end: the input stops in the middle of the telegram
  const cutOff = text.indexOf('/') >= 0 && !/[\r\n]/.test(text.slice(offset));
  if (cutOff) {
    return dsmrErrorAt(text, 'TRUNCATED', 'the telegram ends before its checksum line "!"', position, null, { expected });
  }
  return dsmrErrorAt(text, 'SYNTAX', `expected ${listExpected(expected)}, found ${found(text, offset)}`, position, null, { expected });
}

/** CRC_MISMATCH for a telegram whose `!CRC` line is there but does not match, else null. */
function damagedFrameError(text: string, bytes: Uint8Array | null): DsmrError | null {
  const start = text.indexOf('/');
  if (start < 0) return null;
  const end = /[\r\n]!([0-9A-Fa-f]{1,4})/g;
  end.lastIndex = start;
  const match = end.exec(text);
  if (match === null) return null;
  const bang = match.index + 1;
  const expected = parseInt(match[1]!, 16);
  const actual = frameCrc(text, bytes, start, bang + 1);
  if (actual === expected) return null;
  const position = positionAt(text, bang + 1);
  return new DsmrError(
    'CRC_MISMATCH',
    `CRC mismatch: the telegram carries ${formatCrc(expected)}, its bytes give ${formatCrc(actual)}; the telegram is damaged (line ${position.line}, column ${position.column})\n${excerptAt(text, position)}`,
    { ...position, checksum: { expected, actual } },
  );
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
