/**
 * formatTelegram: builds telegram text with a correct CRC from a header and objects, for fixtures,
 * simulators and round trips (`formatTelegram(parseTelegram(text))` gives the same objects back).
 */
import { describe } from '../arguments.js';
import { encodeText } from '../bytes.js';
import { crc16, formatCrc } from '../checksum.js';
import { DsmrError } from '../errors.js';
import { ANY_CHANNEL, parseObisCode } from '../model/obis.js';
import { legacyValuesStart } from '../model/read.js';
import { continuesOnNextLine } from './grammar.js';

/** A value group to format: `raw` and, when it has one, `unit` (`(raw*unit)`). */
export interface ValueInput {
  /** The value text, written as is (no `(`, `)`, `*` or line break). */
  raw: string;
  /**
   * The unit written after `*`; none when `null`.
   * @defaultValue `null`
   */
  unit?: string | null | undefined;
}

/** An object to format: its OBIS code and value groups. */
export interface ObjectInput {
  /** The OBIS code, `A-B:C.D.E`. */
  obis: string;
  /** The value groups, in order. A DSMR 2.2/3.0 `0-n:24.3.0` object's last group goes on its own line. */
  values: readonly ValueInput[];
}

/** What {@link formatTelegram} builds a telegram from. A parsed `Telegram` fits. */
export interface TelegramInput {
  /** The header line with or without its `/` (`'ISk5\\2MT382-1000'`), or a parsed header. */
  header: string | {
    /** The header line with or without its `/`. */
    raw: string;
  };
  /** The data lines, in order. */
  objects: readonly ObjectInput[];
  /**
   * Write a CRC after `!`; `false` writes the DSMR 2.2/3.0 end line `!`.
   * @defaultValue `true`
   */
  crc?: boolean;
  /**
   * Line end. The specifications require CR LF.
   * @defaultValue `'\r\n'`
   */
  lineEnding?: '\r\n' | '\n';
  /**
   * Write the empty line after the header.
   * @defaultValue `true`
   */
  blankLine?: boolean;
}


/**
 * Builds the text of a telegram.
 *
 * @throws {@link DsmrError} `INVALID_INPUT` when a part cannot be written as a telegram
 *   (a value with `(`, `)`, `*` or a line break, an OBIS code not of the form `A-B:C.D.E`, a part
 *   missing or of another type), `INVALID_OPTION` for a bad `crc`, `lineEnding` or `blankLine`.
 */
export function formatTelegram(input: TelegramInput): string {
  if (typeof input !== 'object' || input === null) throw new DsmrError('INVALID_INPUT', `formatTelegram expects { header, objects }, got ${describe(input)}`);
  const eol = input.lineEnding ?? '\r\n';
  if (eol !== '\r\n' && eol !== '\n') throw new DsmrError('INVALID_OPTION', `lineEnding must be '\\r\\n' or '\\n'`);
  for (const flag of ['crc', 'blankLine'] as const) {
    const value = input[flag];
    if (value !== undefined && typeof value !== 'boolean') throw new DsmrError('INVALID_OPTION', `${flag} must be a boolean, got ${describe(value)}`);
  }
  const headerText = typeof input.header === 'string' ? input.header : (input.header as { raw?: unknown } | null)?.raw;
  if (typeof headerText !== 'string') throw new DsmrError('INVALID_INPUT', `the header must be a string or { raw: string }, got ${describe(input.header)}`);
  if (!Array.isArray(input.objects)) throw new DsmrError('INVALID_INPUT', `objects must be an array of { obis, values }, got ${describe(input.objects)}`);
  const header = headerText.startsWith('/') ? headerText : `/${headerText}`;
  if (/[\r\n]/.test(header)) throw new DsmrError('INVALID_INPUT', 'the header must be a single line');

  let text = header + eol;
  if (input.blankLine ?? true) text += eol;
  for (const object of input.objects) {
    if (typeof object !== 'object' || object === null || typeof object.obis !== 'string' || !Array.isArray(object.values)) {
      throw new DsmrError('INVALID_INPUT', `each object must be { obis: string, values: array }, got ${describe(object)}`);
    }
    const code = parseObisCode(object.obis);
    if (code === null || code.b === ANY_CHANNEL) {
      throw new DsmrError('INVALID_INPUT', `OBIS code ${JSON.stringify(object.obis)} is not of the form A-B:C.D.E`);
    }
    if (object.values.length === 0) throw new DsmrError('INVALID_INPUT', `${object.obis} needs at least one value`);
    // DSMR 2.2/3.0 `0-n:24.3.0(TST)(status)(period)(z)(obis₁)(unit₁)…` carries its z values on the next line
    const split = continuesOnNextLine(code) ? Math.min(legacyValuesStart(object.values[3]?.raw), object.values.length) : object.values.length;
    text += object.obis;
    object.values.forEach((value: ValueInput, i: number) => {
      if (i === split) text += eol;
      text += formatGroup(object.obis, value);
    });
    text += eol;
  }
  text += '!';
  if (input.crc ?? true) {
    text += formatCrc(crc16(encodeText(text)));
  }
  return text + eol;
}

function formatGroup(obis: string, value: ValueInput): string {
  if (typeof value !== 'object' || value === null || typeof value.raw !== 'string') {
    throw new DsmrError('INVALID_INPUT', `${obis}: each value must be { raw: string, unit?: string | null }, got ${describe(value)}`);
  }
  if (value.unit !== undefined && value.unit !== null && typeof value.unit !== 'string') {
    throw new DsmrError('INVALID_INPUT', `${obis} unit must be a string or null, got ${describe(value.unit)}`);
  }
  if (/[()\r\n*]/.test(value.raw)) {
    throw new DsmrError('INVALID_INPUT', `${obis} value ${JSON.stringify(value.raw)} contains "(", ")", "*" or a line break`);
  }
  const unit = value.unit ?? null;
  if (unit !== null && /[()\r\n]/.test(unit)) {
    throw new DsmrError('INVALID_INPUT', `${obis} unit ${JSON.stringify(unit)} contains "(", ")" or a line break`);
  }
  return unit === null ? `(${value.raw})` : `(${value.raw}*${unit})`;
}

