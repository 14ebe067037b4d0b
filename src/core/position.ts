import type { DsmrPosition } from './errors.js';

/**
 * Line and column of `offset` in `text`. CR LF, LF and a lone CR each end a line, as the
 * grammar accepts them. Linear in `offset`: used once per error, never per line.
 */
export function positionAt(text: string, offset: number): DsmrPosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

const MAX_EXCERPT = 72;

/**
 * The line around `offset`, shown like a compiler does:
 * ```
 *    5 | A-0:96.1.1(4B38…)
 *      | ^
 * ```
 * Control characters are shown as `\xNN` so the excerpt stays one line.
 */
export function excerptAt(text: string, position: DsmrPosition): string {
  let start = position.offset - (position.column - 1);
  let end = start;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  // Keep the caret visible on long lines: window the line around the offset.
  let prefix = '';
  let suffix = '';
  if (end - start > MAX_EXCERPT) {
    const from = Math.max(start, position.offset - MAX_EXCERPT / 2);
    if (from > start) prefix = '…';
    start = from;
    if (end - start > MAX_EXCERPT) {
      end = start + MAX_EXCERPT;
      suffix = '…';
    }
  }
  const shown = printable(text.slice(start, position.offset));
  const line = prefix + shown + printable(text.slice(position.offset, end)) + suffix;
  const gutter = String(position.line).padStart(4);
  return `${gutter} | ${line}\n${' '.repeat(gutter.length)} | ${' '.repeat(prefix.length + shown.length)}^`;
}

/** The text with control characters (C0, DEL, C1) shown as `\xNN`. */
function printable(s: string): string {
  let shown = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    shown += c < 0x20 || (c >= 0x7f && c <= 0x9f) ? `\\x${c.toString(16).padStart(2, '0')}` : s[i];
  }
  return shown;
}
