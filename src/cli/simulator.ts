/**
 * A simulated meter: telegrams of a profile whose values evolve plausibly (registers only grow,
 * power follows a daily pattern with noise, gas is captured every 5 minutes on DSMR 5 and hourly
 * before). Deterministic for a seed, so tests and benchmarks can rely on it. The Norwegian
 * profiles are DLMS meters: the same readings as HDLC frames, in each maker's list layout.
 */
import { formatTelegram, formatTimestamp, type ObjectInput } from '../index.js';
import { array, dataNotification, dateTime, hdlcMessage, i16, obis, scalerUnit, structure, text, u16, u32, type AxdrValue } from './dlms-encoder.js';

export type SimulatedProfile = 'nl5' | 'nl4' | 'nl2.2' | 'be' | 'lu' | 'no-aidon' | 'no-kaifa' | 'no-kamstrup';
export const SIMULATED_PROFILES: readonly SimulatedProfile[] = ['nl5', 'nl4', 'nl2.2', 'be', 'lu', 'no-aidon', 'no-kaifa', 'no-kamstrup'];

/** Seconds between telegrams of each profile (the HAN meters' list with energy registers comes hourly; here every 10 s). */
export const PROFILE_INTERVAL: Record<SimulatedProfile, number> = { nl5: 1, be: 1, nl4: 10, 'nl2.2': 10, lu: 10, 'no-aidon': 10, 'no-kaifa': 10, 'no-kamstrup': 10 };

/** DLMS unit numbers (IEC 62056-6-2) the simulated lists use. */
const UNIT = { W: 27, var: 29, Wh: 30, varh: 32, A: 33, V: 35 } as const;

/** mulberry32: small, fast, good enough for simulated meters. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (value: number, integer: number, decimals: number): string => {
  const [int, frac] = value.toFixed(decimals).split('.');
  return decimals === 0 ? int!.padStart(integer, '0') : `${int!.padStart(integer, '0')}.${frac}`;
};
const hex = (text: string): string => Array.from(text, (c) => c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')).join('');

export interface SimulatorOptions {
  profile?: SimulatedProfile;
  seed?: number;
  /** The meter's clock at the first telegram. Default: now. */
  start?: Date;
  /** Solar panels: some hours export instead of import. Default true. */
  solar?: boolean;
}

export class MeterSimulator {
  readonly profile: SimulatedProfile;
  private readonly next01: () => number;
  private readonly solar: boolean;
  private time: number;
  private import1 = 1834.521;
  private import2 = 2471.883;
  private export1 = 412.207;
  private export2 = 903.655;
  private gas = 3261.594;
  private gasCapture = 0;
  private gasValue = this.gas;
  private power = 0.4;
  private failures = 7;
  private sequence = 0;

  constructor(options: SimulatorOptions = {}) {
    this.profile = options.profile ?? 'nl5';
    this.next01 = random(options.seed ?? 1);
    this.solar = options.solar ?? true;
    this.time = Math.floor((options.start ?? new Date()).getTime() / 1000) * 1000;
    this.captureGas();
  }

  /** The telegram text of the next reading (DLMS profiles: their bytes, one character each). */
  next(): string {
    return String.fromCharCode(...this.nextBytes());
  }

  /** The bytes of the next reading, as the port sends them; the meter's clock advances by its interval. */
  nextBytes(): Uint8Array {
    if (this.sequence > 0) this.advance(PROFILE_INTERVAL[this.profile]);
    this.sequence++;
    if (this.profile === 'no-aidon' || this.profile === 'no-kaifa' || this.profile === 'no-kamstrup') return this.hanMessage(this.profile);
    return Uint8Array.from(formatTelegram(this.telegram()), (c) => c.charCodeAt(0));
  }

  /** A Norwegian HAN meter's list 3 (power, currents, voltages, clock, energy) in its maker's layout, in HDLC frames. */
  private hanMessage(profile: 'no-aidon' | 'no-kaifa' | 'no-kamstrup'): Uint8Array {
    const watts = Math.round(Math.max(this.power, 0) * 1000);
    const exportWatts = Math.round(Math.max(-this.power, 0) * 1000);
    const vars = Math.round(Math.abs(this.power) * 120);
    const decivolts = [0, 1, 2].map(() => Math.round((229 + 4 * this.next01()) * 10));
    const centiamps = decivolts.map((dv) => Math.round((Math.abs(this.power) * 1000 * 100) / 3 / (dv / 10)));
    const importWh = Math.round((this.import1 + this.import2) * 1000);
    const exportWh = Math.round((this.export1 + this.export2) * 1000);
    // the wall clock in CET/CEST with the DST bit, deviation as the Blue Book says (UTC − local)
    const stamp = formatTimestamp(new Date(this.time));
    const summer = stamp.endsWith('S');
    const [yy, mo, dd, hh, mi, ss] = Array.from({ length: 6 }, (_, k) => Number(stamp.slice(2 * k, 2 * k + 2))) as [number, number, number, number, number, number];
    const clock = dateTime(2000 + yy, mo, dd, hh, mi, ss, summer ? -120 : -60, summer ? 0x80 : 0x00);
    const clockValue: AxdrValue = { type: 'octet-string', bytes: clock };
    const pairs = (entries: readonly [string, AxdrValue, AxdrValue?][]): AxdrValue =>
      array(...entries.map(([code, value, su]) => (su === undefined ? structure(obis(code), value) : structure(obis(code), value, su))));
    let body: AxdrValue;
    let time: Uint8Array | null = clock;
    switch (profile) {
      case 'no-aidon':
        time = null;
        body = pairs([
          ['1-1:0.2.129', text('AIDON_V0001')],
          ['0-0:96.1.0', text('7359992890941742')],
          ['0-0:96.1.7', text('6525')],
          ['1-0:1.7.0', u32(watts), scalerUnit(0, UNIT.W)],
          ['1-0:2.7.0', u32(exportWatts), scalerUnit(0, UNIT.W)],
          ['1-0:3.7.0', u32(vars), scalerUnit(0, UNIT.var)],
          ['1-0:4.7.0', u32(0), scalerUnit(0, UNIT.var)],
          ['1-0:31.7.0', i16(Math.round(centiamps[0]! / 10)), scalerUnit(-1, UNIT.A)],
          ['1-0:51.7.0', i16(Math.round(centiamps[1]! / 10)), scalerUnit(-1, UNIT.A)],
          ['1-0:71.7.0', i16(Math.round(centiamps[2]! / 10)), scalerUnit(-1, UNIT.A)],
          ['1-0:32.7.0', u16(decivolts[0]!), scalerUnit(-1, UNIT.V)],
          ['1-0:52.7.0', u16(decivolts[1]!), scalerUnit(-1, UNIT.V)],
          ['1-0:72.7.0', u16(decivolts[2]!), scalerUnit(-1, UNIT.V)],
          ['0-0:1.0.0', clockValue],
          ['1-0:1.8.0', u32(Math.round(importWh / 10)), scalerUnit(1, UNIT.Wh)],
          ['1-0:2.8.0', u32(Math.round(exportWh / 10)), scalerUnit(1, UNIT.Wh)],
          ['1-0:3.8.0', u32(Math.round(importWh / 100)), scalerUnit(1, UNIT.varh)],
          ['1-0:4.8.0', u32(0), scalerUnit(1, UNIT.varh)],
        ]);
        break;
      case 'no-kaifa':
        // values only, by position (KFM_001): currents in mA, voltages in 0.1 V
        body = structure(
          text('KFM_001'),
          text('6970631400000066'),
          text('MA304H3E'),
          u32(watts),
          u32(exportWatts),
          u32(vars),
          u32(0),
          ...centiamps.map((ca) => u32(ca * 10)),
          ...decivolts.map((dv) => u32(dv)),
          clockValue,
          u32(importWh),
          u32(exportWh),
          u32(Math.round(importWh / 10)),
          u32(0),
        );
        break;
      case 'no-kamstrup': {
        // code and value pairs on B = 1, without scalers: currents in 0.01 A, whole volts, energy in 10 Wh
        const pair = (code: string, value: AxdrValue): AxdrValue[] => [obis(code), value];
        body = structure(
          text('Kamstrup_V0001'),
          ...pair('1-1:0.0.5', text('5706567274389702')),
          ...pair('1-1:96.1.1', text('6841121BN243101040')),
          ...pair('1-1:1.7.0', u32(watts)),
          ...pair('1-1:2.7.0', u32(exportWatts)),
          ...pair('1-1:3.7.0', u32(vars)),
          ...pair('1-1:4.7.0', u32(0)),
          ...pair('1-1:31.7.0', u32(centiamps[0]!)),
          ...pair('1-1:51.7.0', u32(centiamps[1]!)),
          ...pair('1-1:71.7.0', u32(centiamps[2]!)),
          ...pair('1-1:32.7.0', u16(Math.round(decivolts[0]! / 10))),
          ...pair('1-1:52.7.0', u16(Math.round(decivolts[1]! / 10))),
          ...pair('1-1:72.7.0', u16(Math.round(decivolts[2]! / 10))),
          ...pair('0-1:1.0.0', clockValue),
          ...pair('1-1:1.8.0', u32(Math.round(importWh / 10))),
          ...pair('1-1:2.8.0', u32(Math.round(exportWh / 10))),
          ...pair('1-1:3.8.0', u32(Math.round(importWh / 100))),
          ...pair('1-1:4.8.0', u32(0)),
        );
        break;
      }
    }
    return hdlcMessage(dataNotification(body, time, 0x40000000 + this.sequence));
  }

  private advance(seconds: number): void {
    this.time += seconds * 1000;
    const hour = new Date(this.time).getUTCHours() + 1;
    // base load, a peak in the evening, solar export around noon
    const base = 0.25 + 0.9 * Math.max(0, Math.sin(((hour - 14) / 24) * 2 * Math.PI)) + 0.3 * this.next01();
    const sun = this.solar ? Math.max(0, Math.sin(((hour - 7) / 12) * Math.PI)) * 2.4 : 0;
    this.power = Math.round((0.8 * this.power + 0.2 * (base - sun)) * 1000) / 1000;
    const kwh = (Math.abs(this.power) * seconds) / 3600;
    const lowTariff = hour < 7 || hour >= 23;
    if (this.power >= 0) {
      if (lowTariff) this.import1 += kwh;
      else this.import2 += kwh;
    } else if (lowTariff) this.export1 += kwh;
    else this.export2 += kwh;
    this.gas += (seconds / 3600) * (0.05 + 0.3 * this.next01());
    this.captureGas();
  }

  /** M-Bus gas values are captures: every 5 minutes (DSMR 5, BE, LU) or hourly (DSMR 2.2–4). */
  private captureGas(): void {
    const period = this.profile === 'nl5' || this.profile === 'be' || this.profile === 'lu' ? 300_000 : 3_600_000;
    const capture = Math.floor(this.time / period) * period;
    if (capture !== this.gasCapture) {
      this.gasCapture = capture;
      this.gasValue = this.gas;
    }
  }

  private telegram(): Parameters<typeof formatTelegram>[0] {
    const stamp = formatTimestamp(new Date(this.time));
    const gasStamp = formatTimestamp(new Date(this.gasCapture));
    const imported = Math.max(this.power, 0);
    const exported = Math.max(-this.power, 0);
    const lowTariff = ((h) => h < 7 || h >= 23)(new Date(this.time).getUTCHours() + 1);
    const voltage = 229 + 4 * this.next01();
    const v = (raw: string, unit?: string) => (unit === undefined ? { raw } : { raw, unit });
    const o = (obis: string, ...values: { raw: string; unit?: string }[]): ObjectInput => ({ obis, values });
    const kwh = (value: number) => v(pad(value, 6, 3), 'kWh');
    switch (this.profile) {
      case 'nl2.2':
        return {
          header: 'ISk5\\2MT382-1003',
          crc: false,
          objects: [
            o('0-0:96.1.1', v(hex('K8EG004046395507'))),
            o('1-0:1.8.1', v(pad(this.import1, 5, 3), 'kWh')),
            o('1-0:1.8.2', v(pad(this.import2, 5, 3), 'kWh')),
            o('1-0:2.8.1', v(pad(this.export1, 5, 3), 'kWh')),
            o('1-0:2.8.2', v(pad(this.export2, 5, 3), 'kWh')),
            o('0-0:96.14.0', v(lowTariff ? '0001' : '0002')),
            o('1-0:1.7.0', v(pad(imported, 4, 2), 'kW')),
            o('1-0:2.7.0', v(pad(exported, 4, 2), 'kW')),
            o('0-0:17.0.0', v('0999.00', 'kW')),
            o('0-0:96.3.10', v('1')),
            o('0-0:96.13.1', v('')),
            o('0-0:96.13.0', v('')),
            o('0-1:24.1.0', v('3')),
            o('0-1:96.1.0', v(hex('G0012345678901234'))),
            o('0-1:24.3.0', v(gasStamp.slice(0, 12)), v('00'), v('60'), v('1'), v('0-1:24.2.1'), v('m3'), v(pad(this.gasValue, 5, 3))),
            o('0-1:24.4.0', v('1')),
          ],
        };
      case 'be':
        return {
          header: 'FLU5\\253769484_A',
          objects: [
            o('0-0:96.1.4', v('50217')),
            o('0-0:96.1.1', v(hex('1SAG3101021605'))),
            o('0-0:1.0.0', v(stamp)),
            o('1-0:1.8.1', kwh(this.import2)),
            o('1-0:1.8.2', kwh(this.import1)),
            o('1-0:2.8.1', kwh(this.export2)),
            o('1-0:2.8.2', kwh(this.export1)),
            o('0-0:96.14.0', v(lowTariff ? '0002' : '0001')),
            o('1-0:1.4.0', v(pad(imported * 0.9, 2, 3), 'kW')),
            o('1-0:1.6.0', v(stamp), v(pad(imported * 1.4 + 1.2, 2, 3), 'kW')),
            o('1-0:1.7.0', v(pad(imported, 2, 3), 'kW')),
            o('1-0:2.7.0', v(pad(exported, 2, 3), 'kW')),
            o('1-0:32.7.0', v(pad(voltage, 3, 1), 'V')),
            o('1-0:31.7.0', v(pad(Math.abs(this.power * 1000) / voltage, 3, 2), 'A')),
            o('0-0:96.3.10', v('1')),
            o('0-0:17.0.0', v('999.9', 'kW')),
            o('1-0:31.4.0', v('999', 'A')),
            o('0-0:96.13.0', v('')),
            o('0-1:24.1.0', v('003')),
            o('0-1:96.1.1', v(hex('7FLO2119033733'))),
            o('0-1:24.4.0', v('1')),
            o('0-1:24.2.3', v(gasStamp), v(pad(this.gasValue, 5, 3), 'm3')),
          ],
        };
      case 'lu':
        return {
          header: 'Lux5\\253694471_M',
          objects: [
            o('1-3:0.2.8', v('42')),
            o('0-0:1.0.0', v(stamp)),
            o('0-0:42.0.0', v(hex('SAG1030790002574'))),
            o('1-0:1.8.0', kwh(this.import1 + this.import2)),
            o('1-0:2.8.0', kwh(this.export1 + this.export2)),
            o('1-0:3.8.0', v(pad((this.import1 + this.import2) * 0.1, 6, 3), 'kvarh')),
            o('1-0:4.8.0', v(pad((this.import1 + this.import2) * 0.02, 6, 3), 'kvarh')),
            o('1-0:1.7.0', v(pad(imported, 2, 3), 'kW')),
            o('1-0:2.7.0', v(pad(exported, 2, 3), 'kW')),
            o('0-0:17.0.0', v('069.0', 'kVA')),
            o('1-1:31.4.0', v('100', 'A'), v('-063', 'A')),
            o('0-0:96.3.10', v('1')),
            o('0-0:96.7.21', v(pad(this.failures, 5, 0))),
            o('1-0:32.7.0', v(pad(voltage, 3, 1), 'V')),
            o('1-0:31.7.0', v(pad(Math.abs(this.power * 1000) / voltage, 3, 0), 'A')),
            o('0-1:24.1.0', v('003')),
            o('0-1:96.1.0', v(hex('FLO189900060355'))),
            o('0-1:24.2.1', v(gasStamp), v(pad(this.gasValue, 5, 3), 'm3')),
          ],
        };
      case 'nl4':
      case 'nl5': {
        const five = this.profile === 'nl5';
        const objects: ObjectInput[] = [
          o('1-3:0.2.8', v(five ? '50' : '42')),
          o('0-0:1.0.0', v(stamp)),
          o('0-0:96.1.1', v(hex('E0012345678901234'))),
          o('1-0:1.8.1', kwh(this.import1)),
          o('1-0:1.8.2', kwh(this.import2)),
          o('1-0:2.8.1', kwh(this.export1)),
          o('1-0:2.8.2', kwh(this.export2)),
          o('0-0:96.14.0', v(lowTariff ? '0001' : '0002')),
          o('1-0:1.7.0', v(pad(imported, 2, 3), 'kW')),
          o('1-0:2.7.0', v(pad(exported, 2, 3), 'kW')),
          o('0-0:96.7.21', v(pad(this.failures, 5, 0))),
          o('0-0:96.7.9', v('00002')),
          o('1-0:99.97.0', v('1'), v('0-0:96.7.19'), v(formatTimestamp(new Date(this.time - 86_400_000 * 12))), v('0000000240', 's')),
          o('1-0:32.32.0', v('00001')),
          o('1-0:32.36.0', v('00000')),
          o('0-0:96.13.0', v('')),
        ];
        if (five) objects.push(o('1-0:32.7.0', v(pad(voltage, 3, 1), 'V')));
        objects.push(
          o('1-0:31.7.0', v(pad(Math.abs(this.power * 1000) / voltage, 3, 0), 'A')),
          o('1-0:21.7.0', v(pad(imported, 2, 3), 'kW')),
          o('1-0:22.7.0', v(pad(exported, 2, 3), 'kW')),
          o('0-1:24.1.0', v('003')),
          o('0-1:96.1.0', v(hex('G0012345678901234'))),
          o('0-1:24.2.1', v(gasStamp), v(pad(this.gasValue, 5, 3), 'm3')),
        );
        return { header: five ? 'ISk5\\2MT382-1000' : 'KFM5KAIFA-METER', objects };
      }
      default:
        throw new Error(`${this.profile} is a DLMS profile: see hanMessage`);
    }
  }
}
