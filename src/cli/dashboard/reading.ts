/**
 * What the dashboard shows of a telegram: a compact reading (a few hundred bytes instead of the
 * telegram's 4 KB), and today's use, counted from the registers since local midnight.
 */
import { tariffNames, type MbusReading, type Telegram } from '../../index.js';
import { meterModel } from '../meter.js';

export interface MeterReading {
  /** the telegram's time (ISO), or when it was received for meters that send none */
  time: string;
  meter: string;
  /** the DSMR identification line; `null` for DLMS meters */
  header: string | null;
  profile: string;
  tariff: { number: number; name: string | null } | null;
  power: { imported: number | null; exported: number | null };
  phases: { phase: number; voltage: number | null; current: number | null; powerImported: number | null; powerExported: number | null }[];
  /** kWh over all tariffs, and whether it was summed from tariff registers */
  energy: { imported: number | null; exported: number | null; computed: boolean };
  today: DayUse;
  gas: Medium | null;
  water: Medium | null;
  heat: Medium | null;
  /** the Belgian capacity tariff */
  demand: { current: number | null; monthPeak: { value: number | null; time: string | null } | null };
}

interface Medium {
  value: number;
  unit: string | null;
  time: string | null;
}

/** Use since `since` (local midnight, or the first reading of the day when the server started later). */
export interface DayUse {
  since: string;
  imported: number | null;
  exported: number | null;
  gas: number | null;
}

const medium = (reading: MbusReading | null): Medium | null =>
  reading === null ? null : { value: reading.value, unit: reading.unit, time: reading.timestamp?.toISOString() ?? null };

/** Differences of registers, rounded to their 3 decimals (no 0.30000000000000004 on the page). */
const difference = (now: number | null, start: number | null): number | null => (now === null || start === null ? null : Math.round((now - start) * 1000) / 1000);

/** The local calendar day of an instant, as the server's clock sees it. */
const dayOf = (date: Date): string => `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;

/** Counts today's use from the first reading of each local day. */
export class DayCounter {
  private day = '';
  private start = { time: '', imported: null as number | null, exported: null as number | null, gas: null as number | null };

  use(t: Telegram, time: Date): DayUse {
    const imported = t.electricity.imported.allTariffs;
    const exported = t.electricity.exported.allTariffs;
    const gas = t.gas?.value ?? null;
    const day = dayOf(time);
    if (day !== this.day) {
      this.day = day;
      this.start = { time: time.toISOString(), imported, exported, gas };
    }
    // a register that appears later in the day (a gas meter's first hourly reading) starts then
    if (this.start.gas === null) this.start.gas = gas;
    return { since: this.start.time, imported: difference(imported, this.start.imported), exported: difference(exported, this.start.exported), gas: difference(gas, this.start.gas) };
  }
}

export function meterReading(t: Telegram, received: Date, today: DayCounter): MeterReading {
  const time = t.timestamp ?? received;
  const e = t.electricity;
  const names = tariffNames(t.profile);
  const tariffName = e.tariff === 1 ? (names?.tariff1 ?? null) : e.tariff === 2 ? (names?.tariff2 ?? null) : null;
  return {
    time: time.toISOString(),
    meter: t.equipmentId ?? meterModel(t),
    header: t.protocol === 'dsmr' ? t.header.raw : null,
    profile: t.profile,
    tariff: e.tariff === null ? null : { number: e.tariff, name: tariffName },
    power: { imported: e.power.imported, exported: e.power.exported },
    phases: e.phases.map((p) => ({ phase: p.phase, voltage: p.voltage, current: p.current, powerImported: p.powerImported, powerExported: p.powerExported })),
    energy: { imported: e.imported.allTariffs, exported: e.exported.allTariffs, computed: e.imported.allTariffsComputed },
    today: today.use(t, time),
    gas: medium(t.gas),
    water: medium(t.water),
    heat: medium(t.heat),
    demand: {
      current: e.demand.current,
      monthPeak: e.demand.monthPeak === null ? null : { value: e.demand.monthPeak.value, time: e.demand.monthPeak.timestamp?.toISOString() ?? null },
    },
  };
}
