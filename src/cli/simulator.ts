/**
 * A simulated meter: telegrams of a profile whose values evolve plausibly (registers only grow,
 * power follows a daily pattern with noise, gas is captured every 5 minutes on DSMR 5 and hourly
 * before). Deterministic for a seed, so tests and benchmarks can rely on it.
 */
import { formatTelegram, formatTimestamp, type ObjectInput } from '../index.js';

export type SimulatedProfile = 'nl5' | 'nl4' | 'nl2.2' | 'be' | 'lu';
export const SIMULATED_PROFILES: readonly SimulatedProfile[] = ['nl5', 'nl4', 'nl2.2', 'be', 'lu'];

/** Seconds between telegrams of each profile. */
export const PROFILE_INTERVAL: Record<SimulatedProfile, number> = { nl5: 1, be: 1, nl4: 10, 'nl2.2': 10, lu: 10 };

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

  /** The telegram text of the next reading; the meter's clock advances by its interval. */
  next(): string {
    if (this.sequence > 0) this.advance(PROFILE_INTERVAL[this.profile]);
    this.sequence++;
    return formatTelegram(this.telegram());
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
    }
  }
}
