/**
 * `--fields`: a few readings of each telegram instead of the whole of it (4 KB of JSON a
 * telegram is 350 MB a day at one a second), as compact JSON or as CSV rows.
 */
import type { Telegram } from '../index.js';
import { CliError } from './io.js';

/** What CSV shows when no --fields are given: the readings people chart. */
export const DEFAULT_CSV_FIELDS = [
  'timestamp',
  'equipmentId',
  'electricity.tariff',
  'electricity.imported.allTariffs',
  'electricity.exported.allTariffs',
  'electricity.power.imported',
  'electricity.power.exported',
  'gas.value',
] as const;

type Value = string | number | boolean | null;

/** Dotted paths into a telegram, as its JSON has them: `electricity.power.imported`, `electricity.phases.0.voltage`. */
export class FieldSelection {
  private constructor(readonly paths: readonly string[]) {}

  /** From a `--fields` value: comma-separated paths. */
  static parse(text: string): FieldSelection {
    const paths = text.split(',').map((path) => path.trim());
    const bad = paths.find((path) => !/^[A-Za-z]\w*(\.\w+)*$/.test(path));
    if (bad !== undefined) throw new CliError(`--fields takes dotted paths separated by commas (electricity.power.imported,gas.value), not ${JSON.stringify(bad)}`);
    return new FieldSelection(paths);
  }

  static of(paths: readonly string[]): FieldSelection {
    return new FieldSelection(paths);
  }

  /**
   * The values of the fields in `t`. A path into a list item that is not there (`phases.2` of a
   * one-phase meter) is null; a path the telegram does not have at all is an error, said with the
   * first telegram (every telegram has the same fields).
   */
  values(t: Telegram): Value[] {
    return this.paths.map((path) => valueAt(t, path));
  }

  /** The fields of `t` as one flat JSON object, keyed by path. */
  json(t: Telegram): string {
    const values = this.values(t);
    return JSON.stringify(Object.fromEntries(this.paths.map((path, i) => [path, values[i]])));
  }

  /** The CSV header line. */
  csvHeader(): string {
    return this.paths.map(csvCell).join(',');
  }

  /** One CSV line (RFC 4180 quoting; dates as ISO instants; null as an empty cell). */
  csvRow(t: Telegram): string {
    return this.values(t)
      .map((value) => (value === null ? '' : csvCell(String(value))))
      .join(',');
  }
}

function valueAt(t: Telegram, path: string): Value {
  let at: unknown = t;
  let inList = false;
  for (const key of path.split('.')) {
    if (at === null || at === undefined) return null;
    if (Array.isArray(at)) {
      inList = true;
      at = /^\d+$/.test(key) ? at[Number(key)] : undefined;
      if (at === undefined) return null;
      continue;
    }
    if (typeof at !== 'object' || !(key in at)) {
      if (inList) return null;
      throw new CliError(`--fields: a telegram has no ${path} (see docs/parsing.md for the fields; lists take an index: electricity.phases.0.voltage)`);
    }
    at = (at as Record<string, unknown>)[key];
  }
  if (at instanceof Date) return at.toISOString();
  if (at === undefined) return null;
  if (typeof at === 'object' && at !== null) throw new CliError(`--fields: ${path} is not a single value; name one of its fields (${Object.keys(at).join(', ')})`);
  return at as Value;
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
