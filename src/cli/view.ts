/** The live view of `dsmr-p1 watch`: the readings of the latest telegram, redrawn in place. */
import { tariffNames, type EnergyRegisters, type Telegram } from '../index.js';
import { meterModel } from './meter.js';
import { localTime } from './render.js';

export interface ViewState {
  source: string;
  telegram: Telegram | null;
  telegrams: number;
  invalid: number;
  lastError: string | null;
  status: string;
}

const MEDIA: Record<number, string> = { 2: 'Electricity', 3: 'Gas', 4: 'Heat', 6: 'Warm water', 7: 'Water' };

const fmt = (value: number | null | undefined, digits: number, unit: string): string =>
  value === null || value === undefined ? '-' : `${value.toFixed(digits)} ${unit}`;

/** A register over all tariffs, marked when summed from the tariffs, and the tariffs themselves. */
function registers(r: EnergyRegisters): string {
  const all = r.allTariffs === null ? '' : `${fmt(r.allTariffs, 3, 'kWh')}${r.allTariffsComputed ? ' (T1+T2)' : ''}`;
  const tariffs = r.tariff1 === null && r.tariff2 === null ? '' : `${fmt(r.tariff1, 3, 'kWh')} (T1)   ${fmt(r.tariff2, 3, 'kWh')} (T2)`;
  return [all, tariffs].filter((part) => part !== '').join('   ') || '-';
}

/** The lines of the view. */
export function renderView(state: ViewState): string[] {
  const t = state.telegram;
  const lines = [`dsmr-p1 watch  ${state.source}  ${state.status}`, ''];
  if (t === null) {
    lines.push('waiting for the first telegram…');
  } else {
    const e = t.electricity;
    const names = tariffNames(t.profile);
    const tariff = e.tariff === null ? '-' : `${e.tariff}${names === null ? '' : ` (${e.tariff === 1 ? names.tariff1 : names.tariff2})`}`;
    lines.push(
      `Meter           ${meterModel(t)}  ${t.protocol === 'dlms' ? `DLMS, ${t.dlms.transport === 'mbus' ? 'M-Bus' : t.dlms.transport.toUpperCase()}` : `profile ${t.profile}`}${t.version === null ? '' : `, version ${t.version}`}`,
      `Time            ${localTime(t.timestamp)}`,
      `Tariff          ${tariff}`,
      `Power           ${fmt(e.power.imported, 3, 'kW')} imported   ${fmt(e.power.exported, 3, 'kW')} exported`,
    );
    for (const p of e.phases) {
      lines.push(
        `  L${p.phase}            ${fmt(p.voltage, 1, 'V')}   ${fmt(p.current, 2, 'A')}   ${fmt(p.powerImported, 3, 'kW')} in   ${fmt(p.powerExported, 3, 'kW')} out`,
      );
    }
    lines.push(`Imported        ${registers(e.imported)}`, `Exported        ${registers(e.exported)}`);
    const { current, monthPeak } = e.demand;
    if (current !== null || monthPeak !== null) {
      const peak = monthPeak === null ? '' : `   month peak ${fmt(monthPeak.value, 3, 'kW')} at ${localTime(monthPeak.timestamp)}`;
      lines.push(`Demand (15 min) ${fmt(current, 3, 'kW')} now${peak}`);
    }
    for (const d of t.mbus) {
      if (d.reading === null) continue;
      const medium = d.deviceType === null ? 'M-Bus' : (MEDIA[d.deviceType] ?? `Type ${d.deviceType}`);
      lines.push(`${`${medium} (ch ${d.channel})`.padEnd(16)}${fmt(d.reading.value, 3, d.reading.unit ?? '')}  at ${localTime(d.reading.timestamp)}`);
    }
  }
  lines.push('', `Telegrams       ${state.telegrams} ok, ${state.invalid} invalid`);
  if (state.lastError !== null) lines.push(`Last error      ${state.lastError}`);
  return lines;
}
