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

/** How a line ended. */
export const Eol = { None: 0, CrLf: 1, Lf: 2, Cr: 3 } as const;
export type Eol = (typeof Eol)[keyof typeof Eol];

/** One `(…)` group: `raw` is the text before `*`, `unit` the text after it (null without `*`). */
export interface GroupNode {
  raw: string;
  unit: string | null;
  /** offset of the `(` */
  offset: number;
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
  /** the OBIS code as sent, when it differs from `obis` (`.255` suffix, `:` separator) */
  obisText: string | null;
  groups: GroupNode[];
  /** the groups are not well formed; `groups` holds the raw text as a single group */
  malformed: boolean;
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

/** The common OBIS form, followed by its first group: no captures, no normalising. */
const OBIS_PLAIN = /\d-\d{1,2}:\d{1,3}\.\d{1,3}\.\d{1,3}(?=\()/y;
/** The forms real meters and spec examples also use: `:` for `.`, a `.255`/`*255` F-group. */
const OBIS_LENIENT = /(\d-\d{1,2}:\d{1,3})[.:](\d{1,3}\.\d{1,3})(?:[.*]\d{1,3})?(?=\()/y;
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
 */
function scanGroups(input: string, i: number): { groups: GroupNode[]; end: number } | null {
  const groups: GroupNode[] = [];
  const n = input.length;
  while (i < n && input.charCodeAt(i) === OPEN) {
    const open = i;
    let star = -1;
    i++;
    for (;;) {
      if (i >= n) return null;
      const c = input.charCodeAt(i);
      if (c === CLOSE) break;
      if (c === OPEN || c === CR || c === LF) return null;
      if (c === STAR && star < 0) star = i;
      i++;
    }
    groups.push(
      star < 0
        ? { raw: input.slice(open + 1, i), unit: null, offset: open }
        : { raw: input.slice(open + 1, star), unit: input.slice(star + 1, i), offset: open },
    );
    i++;
  }
  if (groups.length === 0) return null;
  const c = input.charCodeAt(i);
  if (i < n && c !== CR && c !== LF) return null;
  return { groups, end: i };
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
  return { raw: input.slice(from, to), unit: null, offset: start };
}

function lineNode(
  kind: LineKind,
  offset: number,
  obis: string,
  obisText: string | null,
  groups: GroupNode[],
  malformed: boolean,
  end: number,
  eol: Eol,
): LineNode {
  return { kind, line: 0, offset, obis, obisText, groups, malformed, end, eol };
}

const language = P.createLanguage<{
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
      let obis: string;
      let obisText: string | null = null;
      let at: number;
      OBIS_PLAIN.lastIndex = i;
      if (OBIS_PLAIN.test(input)) {
        at = OBIS_PLAIN.lastIndex;
        obis = input.slice(i, at);
      } else {
        OBIS_LENIENT.lastIndex = i;
        const m = OBIS_LENIENT.exec(input);
        if (m === null) return P.makeFailure(i, 'a data line "A-B:C.D.E(value)"');
        at = OBIS_LENIENT.lastIndex;
        obis = `${m[1]!}.${m[2]!}`;
        obisText = m[0];
      }
      const scanned = scanGroups(input, at);
      if (scanned !== null) {
        const eol = lineEnd(input, scanned.end)!;
        return P.makeSuccess(
          eol.next,
          lineNode(LineKind.Data, i, obis, obisText, scanned.groups, false, scanned.end, eol.eol),
        );
      }
      const end = contentEnd(input, at);
      const eol = lineEnd(input, end)!;
      return P.makeSuccess(
        eol.next,
        lineNode(LineKind.Data, i, obis, obisText, [malformedGroup(input, at, end)], true, end, eol.eol),
      );
    }),

  /** `(value)…` alone on a line: the value row of a DSMR 2.2/3.0 `24.3.0` gas object. */
  valueLine: () =>
    P((input, i) => {
      if (input.charCodeAt(i) !== OPEN) return P.makeFailure(i, 'a value line "(value)"');
      const scanned = scanGroups(input, i);
      if (scanned !== null) {
        const eol = lineEnd(input, scanned.end)!;
        return P.makeSuccess(eol.next, lineNode(LineKind.Values, i, '', null, scanned.groups, false, scanned.end, eol.eol));
      }
      const end = contentEnd(input, i);
      const eol = lineEnd(input, end)!;
      return P.makeSuccess(
        eol.next,
        lineNode(LineKind.Values, i, '', null, [malformedGroup(input, i, end)], true, end, eol.eol),
      );
    }),

  blankLine: () =>
    P((input, i) => {
      const eol = lineEnd(input, i);
      if (eol === null || eol.eol === Eol.None) return P.makeFailure(i, 'an empty line');
      return P.makeSuccess(eol.next, lineNode(LineKind.Blank, i, '', null, [], false, i, eol.eol));
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

/** Parses the text of one telegram into line nodes; on failure, where and what was expected. */
export function parseGrammar(text: string): GrammarResult {
  const result = language.telegram.parse(text);
  if (result.status) return { ok: true, node: result.value };
  return { ok: false, offset: result.index.offset, expected: result.expected };
}
