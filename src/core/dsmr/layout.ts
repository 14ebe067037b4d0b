/**
 * Layout checks: line ends, the blank line after the header, what comes before and after the
 * telegram, the header's form. Each deviation is a warning (strict mode: an error).
 */
import type { TelegramHeader } from '../model/telegram.js';
import { Reporter } from '../report.js';
import { Eol, LineKind, isFiller, lineEol, lineKind, isWellFormedHeader, type ChecksumNode, type HeaderNode, type LineNode } from './grammar.js';

/** Line ends, the blank line after the header, bytes before and after the telegram. */
export function checkLayout(bytes: ArrayLike<number>, header: HeaderNode, lines: readonly LineNode[], checksum: ChecksumNode, trailer: number, report: Reporter): void {
  for (let i = 0; i < header.offset; i++) {
    if (!isFiller(bytes[i]!)) {
      report.warn('LEADING_DATA', 'text before the header "/" is ignored', report.at(i));
      break;
    }
  }
  if (header.eol !== Eol.CrLf) {
    report.warn('LINE_ENDING', lineEndMessage(header.eol), Reporter.on(header.line, header.lineStart, header.end));
  } else {
    for (const node of lines) {
      const eol = lineEol(node);
      if (eol !== Eol.CrLf) {
        report.warn('LINE_ENDING', lineEndMessage(eol), Reporter.on(node.line, node.offset, node.end));
        break;
      }
    }
  }
  const first = lines[0];
  if (first === undefined || lineKind(first) !== LineKind.Blank) {
    const line = first?.line ?? report.at(checksum.offset).line;
    const offset = first?.offset ?? checksum.offset;
    report.warn('MISSING_BLANK_LINE', 'no empty line after the header', Reporter.on(line, offset, offset));
  }
  for (let i = 1; i < lines.length; i++) {
    const node = lines[i]!;
    if (lineKind(node) === LineKind.Blank) report.warn('EXTRA_BLANK_LINE', 'an empty line inside the telegram', Reporter.on(node.line, node.offset, node.offset));
  }
  for (let i = trailer; i < bytes.length; i++) {
    if (!isFiller(bytes[i]!)) {
      report.warn('TRAILING_DATA', 'text after the checksum line is not part of the telegram', report.at(i));
      break;
    }
  }
}

function lineEndMessage(eol: Eol): string {
  return eol === Eol.Lf ? 'lines end in LF instead of CR LF' : eol === Eol.Cr ? 'lines end in CR instead of CR LF' : 'a line has no line end';
}

/** `/` + manufacturer (3) + baud character + identification; warns when it is not of that form. */
export function readHeader(text: string, bytes: ArrayLike<number>, header: HeaderNode, report: Reporter): TelegramHeader {
  if (!isWellFormedHeader(bytes, header.offset, header.end)) {
    report.warn(
      'HEADER_FORMAT',
      'the header is not "/" + 3-letter manufacturer + baud digit + printable identification',
      Reporter.on(header.line, header.lineStart, header.offset),
    );
  }
  const at = header.offset;
  return { raw: text.slice(at, header.end), manufacturer: text.slice(at + 1, Math.min(at + 4, header.end)), baudRate: text.slice(at + 4, Math.min(at + 5, header.end)), identification: text.slice(Math.min(at + 5, header.end), header.end) };
}
