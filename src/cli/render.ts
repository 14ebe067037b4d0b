/** How the command line shows telegrams: a table of the readings people look at, or JSON. */
import type { Telegram } from '../index.js';

export interface Column {
  title: string;
  width: number;
  value: (t: Telegram) => string;
  align?: 'left' | 'right';
}

const num = (value: number | null | undefined, digits: number): string => (value === null || value === undefined ? '-' : value.toFixed(digits));

/** The gas meter: an M-Bus device of type 3 with a reading (the most recent if several). */
function gasReading(t: Telegram): { value: number; unit: string | null; timestamp: Date | null } | null {
  let best: { value: number; unit: string | null; timestamp: Date | null } | null = null;
  for (const device of t.mbus) {
    if (device.deviceType !== 3 || device.reading === null) continue;
    if (best === null || (device.reading.timestamp?.getTime() ?? 0) > (best.timestamp?.getTime() ?? 0)) best = device.reading;
  }
  return best;
}

function localTime(date: Date | null): string {
  if (date === null) return '-';
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

const TABLE_COLUMNS: readonly Column[] = [
  { title: 'time (UTC)', width: 20, value: (t) => localTime(t.timestamp) },
  { title: 'meter', width: 18, value: (t) => t.header.raw.slice(1, 19) },
  { title: 'tariff', width: 6, value: (t) => (t.electricity.tariff === null ? '-' : String(t.electricity.tariff)), align: 'right' },
  {
    title: 'import kWh',
    width: 12,
    value: (t) => num(t.electricity.imported.total ?? sum(t.electricity.imported.tariff1, t.electricity.imported.tariff2), 3),
    align: 'right',
  },
  {
    title: 'export kWh',
    width: 12,
    value: (t) => num(t.electricity.exported.total ?? sum(t.electricity.exported.tariff1, t.electricity.exported.tariff2), 3),
    align: 'right',
  },
  { title: 'power kW', width: 8, value: (t) => num(t.electricity.power.imported, 3), align: 'right' },
  { title: 'return kW', width: 9, value: (t) => num(t.electricity.power.exported, 3), align: 'right' },
  { title: 'gas m3', width: 10, value: (t) => num(gasReading(t)?.value, 3), align: 'right' },
];

function sum(a: number | null, b: number | null): number | null {
  return a === null && b === null ? null : (a ?? 0) + (b ?? 0);
}

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
