/** How the command line shows telegrams: a table of the readings people look at, or JSON. */
import type { Telegram } from '../index.js';
import { meterModel } from './meter.js';

export interface Column {
  title: string;
  width: number;
  value: (t: Telegram) => string;
  align?: 'left' | 'right';
}

const num = (value: number | null | undefined, digits: number): string => (value === null || value === undefined ? '-' : value.toFixed(digits));

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * The one way the command line shows an instant: local time with its UTC offset,
 * `2024-03-15 14:30:00+01:00`, so that it is unambiguous and still reads as the meter's clock.
 */
export function localTime(date: Date | null): string {
  if (date === null) return '-';
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`;
}

const TABLE_COLUMNS: readonly Column[] = [
  { title: 'time', width: 25, value: (t) => localTime(t.timestamp) },
  { title: 'meter', width: 18, value: (t) => meterModel(t).slice(0, 18) },
  { title: 'tariff', width: 6, value: (t) => (t.electricity.tariff === null ? '-' : String(t.electricity.tariff)), align: 'right' },
  { title: 'import kWh', width: 12, value: (t) => num(t.electricity.imported.allTariffs, 3), align: 'right' },
  { title: 'export kWh', width: 12, value: (t) => num(t.electricity.exported.allTariffs, 3), align: 'right' },
  { title: 'power kW', width: 8, value: (t) => num(t.electricity.power.imported, 3), align: 'right' },
  { title: 'return kW', width: 9, value: (t) => num(t.electricity.power.exported, 3), align: 'right' },
  { title: 'demand kW', width: 9, value: (t) => num(t.electricity.demand.current, 3), align: 'right' },
  { title: 'peak kW', width: 7, value: (t) => num(t.electricity.demand.monthPeak?.value, 3), align: 'right' },
  { title: 'gas m3', width: 10, value: (t) => num(t.gas?.value, 3), align: 'right' },
];

function row(cells: readonly string[], columns: readonly Column[]): string {
  return cells
    .map((cell, i) => {
      const { width, align } = columns[i]!;
      return align === 'right' ? cell.padStart(width) : cell.padEnd(width);
    })
    .join('  ')
    .trimEnd();
}

/** The two header lines of the table. */
export function tableHeader(columns: readonly Column[] = TABLE_COLUMNS): string[] {
  return [row(columns.map((c) => c.title), columns), row(columns.map((c) => '-'.repeat(c.width)), columns)];
}

/** One table line per telegram, fixed width so lines can be printed as telegrams arrive. */
export function tableRow(t: Telegram, columns: readonly Column[] = TABLE_COLUMNS): string {
  return row(columns.map((c) => c.value(t)), columns);
}

/** A telegram as JSON (dates as ISO strings). */
export function toJson(t: Telegram, indent?: number): string {
  return JSON.stringify(t, null, indent);
}
