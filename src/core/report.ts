import { DsmrError, INFORMATIONAL_WARNINGS, type DsmrPosition, type DsmrWarning, type DsmrWarningCode } from './errors.js';
import { excerptAt, positionAt } from './position.js';

/**
 * How deviations from the specifications are handled: `'lenient'` tolerates and records them as
 * warnings, `'strict'` throws them as errors.
 */
export type ParseMode = 'strict' | 'lenient';

/**
 * Collects what lenient parsing tolerates. In strict mode a deviation throws instead, with the
 * same code and position, unless it is informational.
 */
export class Reporter {
  readonly warnings: DsmrWarning[] = [];

  constructor(
    private readonly text: string,
    private readonly mode: ParseMode,
  ) {}

  /** Position of `offset`, given the line it is on and where that line starts (cheap, no scan). */
  static on(line: number, lineStart: number, offset: number): DsmrPosition {
    return { line, column: offset - lineStart + 1, offset };
  }

  /** Position of `offset` by scanning the text: for the rare reports outside data lines. */
  at(offset: number): DsmrPosition {
    return positionAt(this.text, offset);
  }

  warn(code: DsmrWarningCode, message: string, position: DsmrPosition, obis: string | null = null): void {
    if (this.mode === 'strict' && !INFORMATIONAL_WARNINGS.has(code)) {
      throw dsmrErrorAt(this.text, code, message, position, obis);
    }
    this.warnings.push({ code, message, line: position.line, column: position.column, offset: position.offset, obis });
  }
}

/** A DsmrError whose message names the line and shows the offending text. */
export function dsmrErrorAt(
  text: string,
  code: DsmrError['code'],
  message: string,
  position: DsmrPosition,
  obis: string | null = null,
  extra: { expected?: readonly string[]; checksum?: { expected: number; actual: number } } = {},
): DsmrError {
  return new DsmrError(
    code,
    `${message} (line ${position.line}, column ${position.column})\n${excerptAt(text, position)}`,
    {
      line: position.line,
      column: position.column,
      offset: position.offset,
      obis: obis ?? undefined,
      expected: extra.expected,
      checksum: extra.checksum,
    },
  );
}
