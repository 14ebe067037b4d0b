/**
 * The syntax of a DSMR telegram: the one home of every rule of it. The framer, the 7E1 detector
 * and the parser import the token predicates below instead of restating them.
 *
 * ```
 * telegram   = header ~ data ~ checksum              the talk's `header ~ metadata ~ data ~ checksum`:
 *                                                   metadata lines (version, timestamp, ids) are
 *                                                   data lines, and lines come in any order
 * header     = "/" make baud identification EOL     make: 3 letters, baud: a digit
 * data       = { dataLine | valueLine | blankLine }
 * dataLine   = obis group+ EOL                      obis: A-B:C.D.E
 * valueLine  = group+ EOL                           the DSMR 2.2/3.0 gas reading's 2nd line
 * group      = "(" value [ "*" unit ] ")"           may go on over the next line
 * checksum   = "!" hex{0,4}                         then the line end, NUL or 0xFF
 * EOL        = CR LF | LF | CR
 * ```
 *
 * Parsimmon composes the telegram from these rules; each rule is a small scanner over the bytes
 * (a combinator per character costs 10× more, see bench/). The grammar accepts the lenient
 * superset of what meters send and records what it saw (line ends, OBIS spelling, malformed
 * groups) in the nodes; the parser decides, by mode, what is a warning and what an error.
 */
import P from 'parsimmon';
import { hexDigit } from '../bytes.js';
import { obisCode, trimCodes, type ObisCode } from '../model/obis.js';
import type { CosemObject, CosemValue } from '../model/telegram.js';

// ---------------------------------------------------------------------------------------------
// Tokens

export const CR = 0x0d;
export const LF = 0x0a;
export const SLASH = 0x2f;
export const BANG = 0x21;
const OPEN = 0x28;
const CLOSE = 0x29;
const STAR = 0x2a;
const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;

/** At most this many hex digits follow `!`. */
export const CHECKSUM_DIGITS = 4;

export function isLineEnd(byte: number): boolean {
  return byte === LF || byte === CR;
}

/** Whitespace, NUL and 0xFF: what a healthy line carries between telegrams and after one. */
export function isFiller(byte: number): boolean {
  return byte === LF || byte === CR || byte === 0x20 || byte === 0x09 || byte === 0 || byte === 0xff;
}

/** What may follow a checksum of fewer than 4 digits: the line end, or the NUL/0xFF filler meters send. */
export function endsChecksum(byte: number): boolean {
  return byte === LF || byte === CR || byte === 0 || byte === 0xff;
}

function isLetter(byte: number): boolean {
  return (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122);
}

function isDigit(byte: number): boolean {
  return byte >= 48 && byte <= 57;
}

export { hexDigit };

/**
 * Whether a header starts at `i`: `/`, the 3-letter manufacturer and the baud digit (`/KFM5`).
 * `mask` clears bit 7 first, for 7E1 characters read as 8N1. False when the bytes end too soon.
 */
export function headerAt(bytes: ArrayLike<number>, i: number, end: number, mask = 0xff): boolean {
  return (
    i + 4 < end &&
    (bytes[i]! & mask) === SLASH &&
    isLetter(bytes[i + 1]! & mask) &&
    isLetter(bytes[i + 2]! & mask) &&
    isLetter(bytes[i + 3]! & mask) &&
    isDigit(bytes[i + 4]! & mask)
  );
}

/** Whether the header line from `/` at `start` to `end` is `/ make baud identification`, the identification printable. */
export function isWellFormedHeader(bytes: ArrayLike<number>, start: number, end: number): boolean {
  if (!headerAt(bytes, start, end)) return false;
  for (let i = start + 5; i < end; i++) if (bytes[i]! < 0x20 || bytes[i]! > 0x7e) return false;
  return true;
}

/**
 * DSMR 2.2/3.0: the values of a `0-n:24.3.0` (gas, heat) or `0-n:24.3.1` (cold) object go on
 * on the next line, which holds only value groups.
 */
export function continuesOnNextLine(code: ObisCode): boolean {
  return code.a === 0 && code.b <= 9 && code.c === 24 && code.d === 3 && (code.e === 0 || code.e === 1);
}

// ---------------------------------------------------------------------------------------------
// Nodes

/** How a line ended. */
export const Eol = { None: 0, CrLf: 1, Lf: 2, Cr: 3 } as const;
export type Eol = (typeof Eol)[keyof typeof Eol];

export const LineKind = { Data: 0, Values: 1, Blank: 2 } as const;
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

export interface HeaderNode {
  /** 1-based line number (1 unless text came before it) */
  line: number;
  /** offset of the first character of its line (text before the `/` may share the line) */
  lineStart: number;
  /** offset of the `/` */
  offset: number;
  /** offset just past the line's content */
  end: number;
  eol: Eol;
}

/**
 * A line of the telegram. Its kind, line end and two notes share one small integer (`flags`,
 * read with {@link lineKind}, {@link lineEol}, {@link isMalformed}, {@link hasPlainObis}): a
 * telegram has dozens of lines, parsed tens of thousands of times a second.
 */
export interface LineNode {
  flags: number;
  /** 1-based line number */
  line: number;
  /** offset of the first character of the line */
  offset: number;
  /** the OBIS code; null for value and blank lines */
  code: ObisCode | null;
  /** offset of the first `(` (where the OBIS code ends); the line's offset for value lines */
  groupsAt: number;
  /** the value groups; a malformed line's text as one group */
  groups: CosemValue[];
  /** a data line's object, as the telegram keeps it (a value line's groups join the object before) */
  object: CosemObject | null;
  /** where the lines start that a wrapped value goes on over; null when none */
  wraps: number[] | null;
  /** offset just past the line's content (where its line end starts) */
  end: number;
}

// flags: bits 0-1 the kind, 2-3 the line end, then the notes
const EOL_SHIFT = 2;
/** the OBIS code is not written plainly (`A-B:C.D.E`): a `.255` suffix or a `:` separator */
const ODD_OBIS = 1 << 4;
/** the groups are not well formed (`((ER11))`); `groups` holds the raw text as a single group */
const MALFORMED = 1 << 5;

export function lineKind(node: LineNode): LineKind {
  return (node.flags & 3) as LineKind;
}

export function lineEol(node: LineNode): Eol {
  return ((node.flags >> EOL_SHIFT) & 3) as Eol;
}

export function isMalformed(node: LineNode): boolean {
  return (node.flags & MALFORMED) !== 0;
}

export function hasPlainObis(node: LineNode): boolean {
  return (node.flags & ODD_OBIS) === 0;
}

export interface ChecksumNode {
  /** offset of the `!` */
  offset: number;
  /** how many hex digits follow (0 to 4) */
  digits: number;
  /** their value */
  value: number;
  /** whether they are 4 upper-case digits */
  wellFormed: boolean;
  end: number;
}

export interface TelegramNode {
  header: HeaderNode;
  lines: LineNode[];
  checksum: ChecksumNode;
  /** offset of what follows the checksum digits (the parser checks it) */
  trailer: number;
}

export type GrammarResult = { ok: true; node: TelegramNode } | { ok: false; offset: number; expected: string[] };

/** What the grammar expects where it failed, in its messages. */
const EXPECTED = {
  header: 'a header line starting with "/"',
  checksumDigits: 'up to 4 hex digits after "!", then the line end',
  // after the data lines: another line, or the checksum line (sorted, as parsimmon merges them)
  line: ['a data line "A-B:C.D.E(value)"', 'a value line "(value)"', 'an empty line', 'the checksum line "!CRC"'],
} as const;

// ---------------------------------------------------------------------------------------------
// Scanners. Each takes the text and its bytes (the same characters: one byte per character) and
// scans the bytes; it slices the text only for what it keeps.

/** The input of the grammar: the text, and the bytes it scans (one per character). */
interface Input {
  text: string;
  bytes: ArrayLike<number>;
}

/** Where the line starting at `i` ends (its content), and its line end. */
function contentEnd(bytes: ArrayLike<number>, i: number, n: number): number {
  while (i < n) {
    const c = bytes[i]!;
    if (c === CR || c === LF) break;
    i++;
  }
  return i;
}

function eolAt(bytes: ArrayLike<number>, i: number, n: number): Eol {
  if (i >= n) return Eol.None;
  if (bytes[i] === LF) return Eol.Lf;
  return bytes[i + 1] === LF ? Eol.CrLf : Eol.Cr;
}

const EOL_LENGTH = [0, 2, 1, 1] as const;

/** What {@link scanObis} found besides the end: the code, and whether it is written plainly. */
const scannedObis: { code: ObisCode | null; plain: boolean } = { code: null, plain: true };

/**
 * Scans an OBIS code `A-B:C.D.E` at `i` (A: 1 digit, B: 1–2, C/D/E: 1–3), also in the forms
 * real meters and spec examples use: `:` for the `.` after C, a `.255`/`*255` F-group. It must be
 * followed by `(`. Returns the offset of that `(`, or -1; the code and spelling in `scannedObis`.
 */
function scanObis(bytes: ArrayLike<number>, i: number, n: number): number {
  // one pass over the characters (this runs for every data line): the digits of group `group`
  // add up in `value`; a separator closes the group
  const groups = OBIS_GROUPS;
  let group = 0;
  let value = 0;
  let digits = 0;
  let plain = true;
  for (; i < n; i++) {
    const c = bytes[i]!;
    const digit = c - 48;
    if (digit >= 0 && digit <= 9) {
      value = value * 10 + digit;
      digits++;
      continue;
    }
    if (digits === 0 || digits > OBIS_DIGITS[group]!) return -1;
    groups[group] = value;
    if (group === 4) break;
    if (c !== OBIS_SEPARATORS[group]) {
      // `1-0:72:32.0` (a spec example's typo) for `1-0:72.32.0`
      if (group !== 2 || c !== COLON) return -1;
      plain = false;
    }
    group++;
    value = 0;
    digits = 0;
  }
  if (i >= n) return -1;
  if (bytes[i] === DOT || bytes[i] === STAR) {
    // a `.255` / `*255` F-group
    const start = ++i;
    while (i < n && isDigit(bytes[i]!)) i++;
    if (i === start || i - start > 3) return -1;
    plain = false;
  }
  if (i >= n || bytes[i] !== OPEN) return -1;
  scannedObis.code = obisCode(groups[0]!, groups[1]!, groups[2]!, groups[3]!, groups[4]!);
  scannedObis.plain = plain;
  return i;
}

/** The groups A to E of the code being scanned. */
const OBIS_GROUPS = [0, 0, 0, 0, 0];
/** How many digits each group may have. */
const OBIS_DIGITS = [1, 2, 3, 3, 3] as const;
/** What follows groups A to D. */
const OBIS_SEPARATORS = [DASH, COLON, DOT, DOT] as const;

/** The checksum digits after the `!` at `i`: up to 4 hex digits (what follows them is the caller's rule). */
export function scanChecksum(bytes: ArrayLike<number>, i: number, n: number): ChecksumNode {
  let value = 0;
  let end = i + 1;
  let upper = true;
  while (end < n && end - i - 1 < CHECKSUM_DIGITS) {
    const digit = hexDigit(bytes[end]!);
    if (digit < 0) break;
    if (bytes[end]! >= 97) upper = false;
    value = value * 16 + digit;
    end++;
  }
  const digits = end - i - 1;
  return { offset: i, digits, value, wellFormed: digits === CHECKSUM_DIGITS && upper, end };
}

/** The characters that end or split a group's text: `)`, `(`, `*`, CR, LF. */
const IN_GROUP = /* @__PURE__ */ (() => {
  const table = new Uint8Array(256);
  for (const c of [CLOSE, OPEN, STAR, CR, LF]) table[c] = 1;
  return table;
})();

/** Units as meters write them (`kWh`, `V`, `m3`), one string each: the same few come in every telegram. */
const UNITS = new Map<number, string>();

/** The unit text from `start` to `end`: the string seen before for units of up to 4 ASCII characters. */
function unitText(input: Input, start: number, end: number): string {
  const { bytes } = input;
  const n = end - start;
  if (n === 0 || n > 4) return input.text.slice(start, end);
  // 7 bits a character and the length: a small integer key
  let key = n - 1;
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c > 0x7f) return input.text.slice(start, end);
    key = key * 128 + c;
  }
  let unit = UNITS.get(key);
  if (unit === undefined) {
    unit = input.text.slice(start, end);
    if (UNITS.size < 1024) UNITS.set(key, unit);
  }
  return unit;
}

/** Where the lines start that the last group scan's wrapped values went on over (see scanGroups). */
let scannedWraps: number[] | null = null;

/** Whether the line at `i` is the rest of a wrapped value: text that is no line of its own. */
function continuesValue(bytes: ArrayLike<number>, i: number, n: number): boolean {
  if (i >= n) return false;
  const c = bytes[i]!;
  if (c === CR || c === LF || c === OPEN || c === SLASH || c === BANG) return false;
  return scanObis(bytes, i, n) < 0;
}

/**
 * Scans `(…)(…)…` from `i` to the line end into the front of `groups`, {@link scannedCount} of
 * them (and, when given, the offset of each
 * `(` into `offsets`). Returns where the line content ends, or -1 when the text is not a sequence
 * of well-formed groups followed by a line end. A group still open at the line end goes on over
 * the next line when that line is no line of its own (long text messages, wrapped the way the
 * DSMR spec examples print them); {@link scannedWraps} then holds where each such line starts.
 */
function scanGroups(input: Input, i: number, n: number, groups: CosemValue[], offsets?: number[]): number {
  scannedWraps = null;
  let count = 0;
  const { text, bytes } = input;
  while (i < n && bytes[i] === OPEN) {
    const open = i;
    let star = -1;
    /** the text of the group's earlier lines, when it is wrapped */
    let before: string | null = null;
    let from = ++i;
    for (;;) {
      // the group's text up to the next character that matters (one table lookup a character)
      while (i < n && !IN_GROUP[bytes[i]!]) i++;
      if (i >= n) return -1;
      const c = bytes[i]!;
      if (c === CLOSE) break;
      if (c === OPEN) return -1;
      if (c === CR || c === LF) {
        const next = i + EOL_LENGTH[eolAt(bytes, i, n)];
        if (!continuesValue(bytes, next, n)) return -1;
        before = (before ?? '') + text.slice(from, i);
        (scannedWraps ??= []).push(next);
        from = i = next;
        continue;
      }
      if (c === STAR && star < 0) star = i;
      i++;
    }
    if (before === null) {
      groups[count++] = star < 0 ? { raw: text.slice(open + 1, i), unit: null } : { raw: text.slice(open + 1, star), unit: unitText(input, star + 1, i) };
    } else {
      const whole = before + text.slice(from, i);
      const at = whole.indexOf('*');
      groups[count++] = at < 0 ? { raw: whole, unit: null } : { raw: whole.slice(0, at), unit: whole.slice(at + 1) };
    }
    offsets?.push(open);
    i++;
  }
  scannedCount = count;
  if (count === 0) return -1;
  if (i < n && bytes[i] !== CR && bytes[i] !== LF) return -1;
  return i;
}

/** How many groups the last scan wrote (into the front of its array, which is reused). */
let scannedCount = 0;

/** The groups of the line being scanned, before they get an array of their own. */
const SCANNED_GROUPS: CosemValue[] = [];

/** A line with groups at `groupsAt`: well formed, or kept whole as one raw group. */
function groupLine(input: Input, kind: LineKind, line: number, offset: number, code: ObisCode | null, groupsAt: number, plainObis: boolean, n: number): LineNode {
  const { text, bytes } = input;
  const scanned = SCANNED_GROUPS;
  let end = scanGroups(input, groupsAt, n, scanned);
  let wraps = scannedWraps;
  let flags = kind | (plainObis ? 0 : ODD_OBIS);
  // an array of exactly the groups (one, mostly), not one grown by push
  let groups: CosemValue[] = scannedCount === 1 ? [scanned[0]!] : scanned.slice(0, scannedCount);
  if (end < 0) {
    // unbalanced parentheses (`((ER11))`, `(ER13))`): the rest of the line as one raw group,
    // without the outer parentheses when present, so nothing the meter sent is lost
    flags |= MALFORMED;
    wraps = null;
    end = contentEnd(bytes, groupsAt, n);
    let from = groupsAt;
    let to = end;
    if (bytes[from] === OPEN) from++;
    if (to > from && bytes[to - 1] === CLOSE) to--;
    groups = [{ raw: text.slice(from, to), unit: null }];
  }
  // the object made here, once: the grammar's groups have the shape of CosemValue and are handed out
  const object = code === null ? null : { obis: code.text, values: groups, line, raw: text.slice(offset, end) };
  return { flags: flags | (eolAt(bytes, end, n) << EOL_SHIFT), line, offset, code, groupsAt, groups, object, wraps, end };
}

/**
 * The offsets of the `(` of each group of a line (for the positions of warnings), found again by
 * the same scanner: kept out of the nodes, as only warnings need them.
 */
export function groupOffsets(text: string, bytes: ArrayLike<number>, node: LineNode): number[] {
  if (isMalformed(node)) return [node.groupsAt];
  const offsets: number[] = [];
  scanGroups({ text, bytes }, node.groupsAt, bytes.length, [], offsets);
  return offsets;
}

// ---------------------------------------------------------------------------------------------
// The grammar

/** The input of the parse in progress (parsimmon passes the text; the rules scan its bytes). */
let current: Input = { text: '', bytes: new Uint8Array(0) };
/** The header's line number in it (lines after it count on from there). */
let currentLine = 1;

/**
 * A rule's success at `index`, marked as having got that far. Parsimmon merges the replies of a
 * sequence by how far each got; a success made by `P.makeSuccess` got "nowhere" (-1), so each
 * step of `header ~ data ~ checksum` merged two empty lists of expectations through a `Set`, a
 * sort and an array (a few per cent of a parse). A success that got to where it ended is merged
 * by a comparison; what a failure reports (where, and what was expected) does not change.
 */
function advanced<T>(index: number, value: T): P.Reply<T> {
  const reply = P.makeSuccess(index, value);
  (reply as { furthest: number }).furthest = index;
  return reply;
}

const language = /* @__PURE__ */ P.createLanguage<{
  header: HeaderNode;
  data: LineNode[];
  checksum: ChecksumNode;
  telegram: TelegramNode;
}>({
  telegram: (r) => P.seqMap(r.header, r.data, r.checksum, (header, lines, checksum) => ({ header, lines, checksum, trailer: checksum.end })),

  /**
   * `/` and the identification, as free text up to the line end (checked by the parser). What
   * comes before the first `/` is skipped: garbage from a connection caught mid-telegram.
   */
  header: () =>
    P((_text, start) => {
      const { bytes } = current;
      const n = bytes.length;
      let i = start;
      // the line and column of the header: text before it may take lines, or share its line
      let line = 1;
      let lineStart = start;
      for (; i < n && bytes[i] !== SLASH; i++) {
        if (bytes[i] === LF || (bytes[i] === CR && bytes[i + 1] !== LF)) {
          line++;
          lineStart = i + 1;
        }
      }
      if (i >= n) return P.makeFailure(start, EXPECTED.header);
      const end = contentEnd(bytes, i + 1, n);
      const eol = eolAt(bytes, end, n);
      currentLine = line;
      return advanced(end + EOL_LENGTH[eol], { line, lineStart, offset: i, end, eol });
    }),

  /**
   * The data lines (metadata lines are data lines too; the registry tells them apart), value
   * lines and blank lines, in any order: one rule, a loop over lines.
   */
  data: () =>
    P((_text, i) => {
      const input = current;
      const { bytes } = input;
      const n = bytes.length;
      const lines: LineNode[] = [];
      // lines are numbered as they come: a wrapped value takes several
      let line = currentLine;
      for (;;) {
        if (i >= n) break;
        const c = bytes[i]!;
        let node: LineNode;
        line++;
        if (c === OPEN) {
          node = groupLine(input, LineKind.Values, line, i, null, i, true, n);
        } else if (c === CR || c === LF) {
          node = { flags: LineKind.Blank | (eolAt(bytes, i, n) << EOL_SHIFT), line, offset: i, code: null, groupsAt: i, groups: [], object: null, wraps: null, end: i };
        } else {
          const at = scanObis(bytes, i, n);
          if (at < 0) break;
          node = groupLine(input, LineKind.Data, line, i, scannedObis.code, at, scannedObis.plain, n);
        }
        if (node.wraps !== null) line += node.wraps.length;
        lines.push(node);
        i = node.end + EOL_LENGTH[lineEol(node)];
      }
      return advanced(i, lines);
    }),

  /**
   * `!` and up to 4 hex digits. After fewer than 4 digits the line must end (NUL and 0xFF count
   * as an end): `!:BA7` or `!\t72E` is a damaged CRC, not a telegram without one.
   */
  checksum: () =>
    P((_text, i) => {
      const { bytes } = current;
      const n = bytes.length;
      if (i >= n || bytes[i] !== BANG) return P.makeFailure(i, [...EXPECTED.line]);
      const node = scanChecksum(bytes, i, n);
      if (node.digits < CHECKSUM_DIGITS && node.end < n && !endsChecksum(bytes[node.end]!)) return P.makeFailure(node.end, EXPECTED.checksumDigits);
      // whatever follows the digits is the parser's to look at: the telegram ends here
      return advanced(n, node);
    }),
});

/** What every parsimmon parser is underneath: its parse function `_` (what combinators call). */
type ParseFunction = (input: string, index: number) => P.Reply<TelegramNode>;

/**
 * Parses a telegram: `text` and the `bytes` it consists of (one per character). On failure,
 * where and what was expected.
 *
 * `parser.parse(text)` costs about 3 µs per telegram on top of the parsing (a third of it): each
 * call builds a new `skip(eof)` parser and deletes the input from a line/column cache keyed by
 * the whole text, which hashes it. The telegram rule consumes everything (`trailer`), and we
 * compute line and column ourselves, so we call the parse function directly, as parsimmon's own
 * combinators do. parsimmon is pinned to the version this was checked with, and
 * {@link parseGrammarSlowly} (the public path) is tested to agree.
 */
export function parseGrammar(text: string, bytes: ArrayLike<number>): GrammarResult {
  const run = (language.telegram as unknown as { _?: ParseFunction })._;
  if (typeof run !== 'function') return parseGrammarSlowly(text, bytes);
  trimCodes();
  current = { text, bytes };
  const result = run(text, 0);
  current = EMPTY;
  if (result.status) return { ok: true, node: result.value };
  return { ok: false, offset: result.furthest, expected: result.expected };
}

/** {@link parseGrammar} through parsimmon's public `parse()`. */
export function parseGrammarSlowly(text: string, bytes: ArrayLike<number>): GrammarResult {
  trimCodes();
  current = { text, bytes };
  const result = language.telegram.parse(text);
  current = EMPTY;
  if (result.status) return { ok: true, node: result.value };
  return { ok: false, offset: result.index.offset, expected: result.expected };
}

const EMPTY: Input = { text: '', bytes: new Uint8Array(0) };

