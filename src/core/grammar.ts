/**
 * The telegram grammar, in parsimmon. The only module that imports parsimmon: its types never leave.
 *
 * ```
 * telegram  := leading header line* checksum trailer
 * header    := "/" any* EOL
 * line      := dataLine | valueLine | blankLine           (any order, as real meters vary)
 * dataLine  := obis group+ EOL                             (metadata lines are data lines too;
 * valueLine := group+ EOL                                   the OBIS registry tells them apart)
 * group     := "(" value ["*" unit] ")"
 * checksum  := "!" hex{0,4}
 * EOL       := CR LF | LF | CR
 * ```
 *
 * The grammar accepts the lenient superset of what meters send and records what it saw (line
 * ends, OBIS spelling, malformed groups) in the nodes; the validator decides, by mode, what is a
 * warning and what an error. Each rule parses one whole line with a sticky regexp or a character
 * scan: a combinator per character costs 10× more (see bench/).
 */
import P from 'parsimmon';
import { normalObis, obisKey } from './obis.js';

/** How a line ended. */
export const Eol = { None: 0, CrLf: 1, Lf: 2, Cr: 3 } as const;
export type Eol = (typeof Eol)[keyof typeof Eol];

/**
 * One `(…)` group: `raw` is the text before `*`, `unit` the text after it (null without `*`).
 * The shape of the public `CosemValue`, so the parser hands these objects out as they are.
 */
export interface GroupNode {
  raw: string;
  unit: string | null;
}

export const LineKind = { Data: 0, Values: 1, Blank: 2 } as const;
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

export interface LineNode {
  kind: LineKind;
  /** 1-based line number; 0 from the grammar, set by the parser in one pass */
  line: number;
  /** offset of the first character of the line */
  offset: number;
  /** normalised OBIS code (`A-B:C.D.E`); '' for value and blank lines */
  obis: string;
  /** the code as a number (see obis.ts); -1 for value and blank lines */
  key: number;
  /** the OBIS code as sent, when it differs from `obis` (`.255` suffix, `:` separator) */
  obisText: string | null;
  groups: GroupNode[];
  /** offset of each group's `(` */
  offsets: number[];
  /** the groups are not well formed; `groups` holds the raw text as a single group */
  malformed: boolean;
  /** where the lines start that a wrapped value goes on over (see scanGroups); null when none */
  wraps: number[] | null;
  /** offset just past the line's content (where its line end starts) */
  end: number;
  eol: Eol;
}

export interface HeaderNode {
  /** offset of the `/` */
  offset: number;
  /** the line without `/` */
  text: string;
  end: number;
  eol: Eol;
}

export interface ChecksumNode {
  /** offset of the `!` */
  offset: number;
  /** the hex digits after `!` (0 to 4) */
  hex: string;
  end: number;
}

export interface TelegramNode {
  header: HeaderNode;
  lines: LineNode[];
  checksum: ChecksumNode;
  /** offset of what follows the checksum digits */
  trailer: number;
}

export type GrammarResult =
  | { ok: true; node: TelegramNode }
  | { ok: false; offset: number; expected: string[] };

const CR = 13;
const LF = 10;
const OPEN = 40; // (
const CLOSE = 41; // )
const STAR = 42; // *

const HEX4 = /[0-9A-Fa-f]{0,4}/y;
/** What may follow a checksum of fewer than 4 digits: the line end, or the NUL/0xFF filler meters send. */
const ENDS_CHECKSUM = new Set([CR, LF, 0x00, 0xff]);

function lineEnd(input: string, i: number): { eol: Eol; next: number } | null {
  const c = input.charCodeAt(i);
  if (c === CR) return input.charCodeAt(i + 1) === LF ? { eol: Eol.CrLf, next: i + 2 } : { eol: Eol.Cr, next: i + 1 };
  if (c === LF) return { eol: Eol.Lf, next: i + 1 };
  if (i >= input.length) return { eol: Eol.None, next: i };
  return null;
}

/**
 * Scans `(…)(…)…` from `i` to the line end. Returns the groups and where the line content ends,
 * or `null` when the text is not a sequence of well-formed groups followed by a line end.
 *
 * A group still open at the line end goes on over the next line when that line is no line of its
 * own (no data line, header, checksum, value or blank line): long text messages wrapped the way
 * the DSMR spec examples print them. `wraps` then holds where each such line starts.
 */
function scanGroups(input: string, i: number): { groups: GroupNode[]; offsets: number[]; end: number; wraps: number[] | null } | null {
  const groups: GroupNode[] = [];
  const offsets: number[] = [];
  let wraps: number[] | null = null;
  const n = input.length;
  while (i < n && input.charCodeAt(i) === OPEN) {
    const open = i;
    let star = -1;
    /** the text of the group's earlier lines, when it is wrapped */
    let before = '';
    let from = i + 1;
    i++;
    for (;;) {
      if (i >= n) return null;
      const c = input.charCodeAt(i);
      if (c === CLOSE) break;
      if (c === OPEN) return null;
      if (c === CR || c === LF) {
        const next = lineEnd(input, i)!.next;
        if (!continuesValue(input, next)) return null;
        before += input.slice(from, i);
        (wraps ??= []).push(next);
        from = i = next;
        continue;
      }
      if (c === STAR && star < 0) star = i;
      i++;
    }
    if (before === '') {
      groups.push(star < 0 ? { raw: input.slice(open + 1, i), unit: null } : { raw: input.slice(open + 1, star), unit: input.slice(star + 1, i) });
    } else {
      const text = before + input.slice(from, i);
      const at = text.indexOf('*');
      groups.push(at < 0 ? { raw: text, unit: null } : { raw: text.slice(0, at), unit: text.slice(at + 1) });
    }
    offsets.push(open);
    i++;
  }
  if (groups.length === 0) return null;
  const c = input.charCodeAt(i);
  if (i < n && c !== CR && c !== LF) return null;
  return { groups, offsets, end: i, wraps };
}

/** Whether the line at `i` is the rest of a wrapped value: text that is no line of its own. */
function continuesValue(input: string, i: number): boolean {
  if (i >= input.length) return false;
  const c = input.charCodeAt(i);
  if (c === CR || c === LF || c === OPEN || c === 47 /* / */ || c === 33 /* ! */) return false;
  return scanObis(input, i) < 0;
}

/** Offset of the end of the line content starting at `i`. */
function contentEnd(input: string, i: number): number {
  const n = input.length;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c === CR || c === LF) break;
    i++;
  }
  return i;
}

/**
 * Rest of a data line whose groups are not well formed (`((ER11))`, `(ER13))`): kept as one raw
 * group, without the outer parentheses when present, so nothing the meter sent is lost.
 */
function malformedGroup(input: string, start: number, end: number): GroupNode {
  let from = start;
  let to = end;
  if (input.charCodeAt(from) === OPEN) from++;
  if (to > from && input.charCodeAt(to - 1) === CLOSE) to--;
  return { raw: input.slice(from, to), unit: null };
}

/** What {@link scanObis} found besides the end: the code's key, and whether it is written plainly. */
const scannedObis = { key: 0, plain: true };

/**
 * Scans an OBIS code `A-B:C.D.E` at `i` (A: 1 digit, B: 1–2, C/D/E: 1–3), also in the forms
 * real meters and spec examples use: `:` for the `.` after C, a `.255`/`*255` F-group. It must be
 * followed by `(`. Returns the end offset, or -1. One pass that validates, computes the numeric
 * key and notes a non-plain form: the line's hottest path.
 */
function scanObis(input: string, i: number): number {
  const numbers = [0, 0, 0, 0, 0];
  const maxDigits = [1, 2, 3, 3, 3];
  let plain = true;
  for (let group = 0; group < 5; group++) {
    let value = 0;
    let digits = 0;
    // (charCodeAt past the end is NaN, which fails both comparisons: test for a digit, not against one)
    for (;;) {
      const c = input.charCodeAt(i);
      if (!(c >= 48 && c <= 57)) break;
      value = value * 10 + c - 48;
      digits++;
      i++;
    }
    if (digits === 0 || digits > maxDigits[group]!) return -1;
    numbers[group] = value;
    if (group === 4) break;
    const separator = input.charCodeAt(i);
    const expected = group === 0 ? 45 /* - */ : group === 1 ? 58 /* : */ : 46; /* . */
    if (separator !== expected) {
      if (group === 2 && separator === 58) plain = false; // `1-0:72:32.0`
      else return -1;
    }
    i++;
  }
  const next = input.charCodeAt(i);
  if (next === 46 || next === 42) {
    // a `.255` / `*255` F-group
    let digits = 0;
    i++;
    while (input.charCodeAt(i) >= 48 && input.charCodeAt(i) <= 57) {
      digits++;
      i++;
    }
    if (digits === 0 || digits > 3) return -1;
    plain = false;
  }
  if (input.charCodeAt(i) !== OPEN) return -1;
  scannedObis.key = obisKey(numbers[0]!, numbers[1]!, numbers[2]!, numbers[3]!, numbers[4]!);
  scannedObis.plain = plain;
  return i;
}

function lineNode(
  kind: LineKind,
  offset: number,
  obis: string,
  key: number,
  obisText: string | null,
  groups: GroupNode[],
  offsets: number[],
  malformed: boolean,
  end: number,
  eol: Eol,
  wraps: number[] | null = null,
): LineNode {
  return { kind, line: 0, offset, obis, key, obisText, groups, offsets, malformed, wraps, end, eol };
}

const language = /* @__PURE__ */ P.createLanguage<{
  leading: number;
  header: HeaderNode;
  dataLine: LineNode;
  valueLine: LineNode;
  blankLine: LineNode;
  line: LineNode;
  checksum: ChecksumNode;
  trailer: number;
  telegram: TelegramNode;
}>({
  /** Anything before the first `/`: garbage from a connection caught mid-telegram. */
  leading: () =>
    P((input, i) => {
      const slash = input.indexOf('/', i);
      return slash < 0 ? P.makeFailure(i, 'a header line starting with "/"') : P.makeSuccess(slash, slash);
    }),

  header: () =>
    P((input, i) => {
      if (input.charCodeAt(i) !== 47) return P.makeFailure(i, 'a header line starting with "/"');
      const end = contentEnd(input, i + 1);
      const eol = lineEnd(input, end)!;
      return P.makeSuccess(eol.next, { offset: i, text: input.slice(i + 1, end), end, eol: eol.eol });
    }),

  /** `OBIS(value*unit)(…)` — version, timestamp and equipment id lines included. */
  dataLine: () =>
    P((input, i) => {
      const at = scanObis(input, i);
      if (at < 0) return P.makeFailure(i, 'a data line "A-B:C.D.E(value)"');
      const { key, plain } = scannedObis;
      const obisText = plain ? null : input.slice(i, at);
      const obis = plain ? input.slice(i, at) : normalObis(key);
      const scanned = scanGroups(input, at);
      if (scanned !== null) {
        const eol = lineEnd(input, scanned.end)!;
        return P.makeSuccess(eol.next, lineNode(LineKind.Data, i, obis, key, obisText, scanned.groups, scanned.offsets, false, scanned.end, eol.eol, scanned.wraps));
      }
      const end = contentEnd(input, at);
      const eol = lineEnd(input, end)!;
      return P.makeSuccess(eol.next, lineNode(LineKind.Data, i, obis, key, obisText, [malformedGroup(input, at, end)], [at], true, end, eol.eol));
    }),

  /** `(value)…` alone on a line: the value row of a DSMR 2.2/3.0 `24.3.0` gas object. */
  valueLine: () =>
    P((input, i) => {
      if (input.charCodeAt(i) !== OPEN) return P.makeFailure(i, 'a value line "(value)"');
      const scanned = scanGroups(input, i);
      if (scanned !== null) {
        const eol = lineEnd(input, scanned.end)!;
        return P.makeSuccess(eol.next, lineNode(LineKind.Values, i, '', -1, null, scanned.groups, scanned.offsets, false, scanned.end, eol.eol, scanned.wraps));
      }
      const end = contentEnd(input, i);
      const eol = lineEnd(input, end)!;
      return P.makeSuccess(eol.next, lineNode(LineKind.Values, i, '', -1, null, [malformedGroup(input, i, end)], [i], true, end, eol.eol));
    }),

  blankLine: () =>
    P((input, i) => {
      const eol = lineEnd(input, i);
      if (eol === null || eol.eol === Eol.None) return P.makeFailure(i, 'an empty line');
      return P.makeSuccess(eol.next, lineNode(LineKind.Blank, i, '', -1, null, [], [], false, i, eol.eol));
    }),

  line: (r) => P.alt(r.dataLine, r.valueLine, r.blankLine),

  /**
   * `!` and up to 4 hex digits. After fewer than 4 digits the line must end (NUL and 0xFF count
   * as an end): `!:BA7` or `!\t72E` is a damaged CRC, not a telegram without one.
   */
  checksum: () =>
    P((input, i) => {
      if (input.charCodeAt(i) !== 33) return P.makeFailure(i, 'the checksum line "!CRC"');
      HEX4.lastIndex = i + 1;
      HEX4.test(input);
      const end = HEX4.lastIndex;
      if (end - i - 1 < 4 && end < input.length && !ENDS_CHECKSUM.has(input.charCodeAt(end))) {
        return P.makeFailure(end, 'up to 4 hex digits after "!", then the line end');
      }
      return P.makeSuccess(end, { offset: i, hex: input.slice(i + 1, end), end });
    }),

  /** Whatever follows the checksum digits; the validator looks at it. */
  trailer: () => P((input, i) => P.makeSuccess(input.length, i)),

  telegram: (r) =>
    P.seqMap(r.leading, r.header, r.line.many(), r.checksum, r.trailer, (_leading, header, lines, checksum, trailer) => ({
      header,
      lines,
      checksum,
      trailer,
    })),
});

/** What every parsimmon parser is underneath: its parse function `_` (what combinators call). */
type ParseFunction = (input: string, index: number) => P.Reply<TelegramNode>;

/**
 * Parses the text of one telegram into line nodes; on failure, where and what was expected.
 *
 * `parser.parse(text)` costs about 2 µs per telegram on top of the parsing (≈ 10% of
 * parseTelegram): each call builds a new `skip(eof)` parser and deletes the input from a
 * line/column cache keyed by the whole text, which hashes ~1 KB. The telegram rule already
 * consumes everything (`trailer`), and we compute line and column ourselves, so we call the
 * parse function directly, as parsimmon's own combinators do; `parseGrammarSlowly` is the public
 * path, and a test checks the two agree.
 */
export function parseGrammar(text: string): GrammarResult {
  const run = (language.telegram as unknown as { _?: ParseFunction })._;
  if (typeof run !== 'function') return parseGrammarSlowly(text);
  const result = run(text, 0);
  if (result.status) return { ok: true, node: result.value };
  return { ok: false, offset: result.furthest, expected: result.expected };
}

/** {@link parseGrammar} through parsimmon's public `parse()`. */
export function parseGrammarSlowly(text: string): GrammarResult {
  const result = language.telegram.parse(text);
  if (result.status) return { ok: true, node: result.value };
  return { ok: false, offset: result.index.offset, expected: result.expected };
}
