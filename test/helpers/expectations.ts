/**
 * What a parsed telegram must hold, given the ground truth of a capture's manifest entry. Shared by
 * the captures test and the by-hand corpus check (test/corpus/).
 */
import { expect } from 'vitest';
import type { Profile, Telegram } from '../../src/index.js';
import type { Capture, Expected, ExpectedText } from './captures.js';

/** Meters send these for "not set"; we read them as null (with a warning) where the manifest reads a date. */
const PLACEHOLDERS = ['632525252525', '000101000000', '000101000001', '700101010000', '000000000000'];
const isPlaceholder = (raw: string) => PLACEHOLDERS.includes(raw.slice(0, 12));

/** Where each register of the manifests lands in the typed view, and in which unit. Written out
 * by hand, independently of the OBIS registry, so a wrong registry entry fails here. */
const REGISTERS: Record<string, { unit: string; get: (t: Telegram) => unknown }> = {
  '1-0:1.8.0': { unit: 'kWh', get: (t) => t.electricity.imported.total },
  '1-0:1.8.1': { unit: 'kWh', get: (t) => t.electricity.imported.tariff1 },
  '1-0:1.8.2': { unit: 'kWh', get: (t) => t.electricity.imported.tariff2 },
  '1-0:2.8.0': { unit: 'kWh', get: (t) => t.electricity.exported.total },
  '1-0:2.8.1': { unit: 'kWh', get: (t) => t.electricity.exported.tariff1 },
  '1-0:2.8.2': { unit: 'kWh', get: (t) => t.electricity.exported.tariff2 },
  '1-0:3.8.0': { unit: 'kvarh', get: (t) => t.electricity.reactiveEnergy.imported.total },
  '1-0:3.8.1': { unit: 'kvarh', get: (t) => t.electricity.reactiveEnergy.imported.tariff1 },
  '1-0:3.8.2': { unit: 'kvarh', get: (t) => t.electricity.reactiveEnergy.imported.tariff2 },
  '1-0:4.8.0': { unit: 'kvarh', get: (t) => t.electricity.reactiveEnergy.exported.total },
  '1-0:4.8.1': { unit: 'kvarh', get: (t) => t.electricity.reactiveEnergy.exported.tariff1 },
  '1-0:4.8.2': { unit: 'kvarh', get: (t) => t.electricity.reactiveEnergy.exported.tariff2 },
  '1-0:1.7.0': { unit: 'kW', get: (t) => t.electricity.power.imported },
  '1-0:2.7.0': { unit: 'kW', get: (t) => t.electricity.power.exported },
  '1-0:3.7.0': { unit: 'kvar', get: (t) => t.electricity.reactivePower.imported },
  '1-0:4.7.0': { unit: 'kvar', get: (t) => t.electricity.reactivePower.exported },
  '1-0:9.7.0': { unit: 'kVA', get: (t) => t.electricity.apparentPower.imported },
  '1-0:10.7.0': { unit: 'kVA', get: (t) => t.electricity.apparentPower.exported },
  '1-0:1.4.0': { unit: 'kW', get: (t) => t.electricity.demand.current },
  '0-0:17.0.0': { unit: 'threshold', get: (t) => t.electricity.threshold },
  '1-0:13.7.0': { unit: '', get: (t) => t.electricity.powerFactor },
  '1-0:14.7.0': { unit: 'Hz', get: (t) => t.electricity.frequency },
  '1-0:31.4.0': { unit: 'A', get: (t) => t.electricity.phases.find((p) => p.phase === 1)?.currentLimit },
  // Switzerland (Sagemcom XT211) sends electricity on B = 1
  '1-1:1.8.1': { unit: 'kWh', get: (t) => t.electricity.imported.tariff1 },
  '1-1:1.8.2': { unit: 'kWh', get: (t) => t.electricity.imported.tariff2 },
  '1-1:2.8.1': { unit: 'kWh', get: (t) => t.electricity.exported.tariff1 },
  '1-1:2.8.2': { unit: 'kWh', get: (t) => t.electricity.exported.tariff2 },
  '1-1:1.7.0': { unit: 'kW', get: (t) => t.electricity.power.imported },
  '1-1:2.7.0': { unit: 'kW', get: (t) => t.electricity.power.exported },
};
for (const [phase, voltage, current, imp, exp, rimp, rexp] of [
  [1, 32, 31, 21, 22, 23, 24],
  [2, 52, 51, 41, 42, 43, 44],
  [3, 72, 71, 61, 62, 63, 64],
] as const) {
  const p = (t: Telegram) => t.electricity.phases.find((x) => x.phase === phase);
  REGISTERS[`1-0:${voltage}.7.0`] = { unit: 'V', get: (t) => p(t)?.voltage };
  REGISTERS[`1-0:${current}.7.0`] = { unit: 'A', get: (t) => p(t)?.current };
  REGISTERS[`1-0:${imp}.7.0`] = { unit: 'kW', get: (t) => p(t)?.powerImported };
  REGISTERS[`1-0:${exp}.7.0`] = { unit: 'kW', get: (t) => p(t)?.powerExported };
  REGISTERS[`1-0:${rimp}.7.0`] = { unit: 'kvar', get: (t) => p(t)?.reactivePowerImported };
  REGISTERS[`1-0:${rexp}.7.0`] = { unit: 'kvar', get: (t) => p(t)?.reactivePowerExported };
  REGISTERS[`1-0:${voltage}.32.0`] = { unit: '', get: (t) => p(t)?.voltageSags };
  REGISTERS[`1-0:${voltage}.36.0`] = { unit: '', get: (t) => p(t)?.voltageSwells };
  REGISTERS[`1-0:${voltage + 1}.7.0`] = { unit: '', get: (t) => p(t)?.powerFactor };
}

/** Registers of the manifests that the typed view does not (yet) type: they are checked in `objects` only. */
const RAW_ONLY = new Set([
  // Israel's tariffs 11-13, Hungary's tariffs 3-4, reactive quadrants Q1-Q4 and |A|
  '1-0:1.8.11', '1-0:1.8.12', '1-0:1.8.13', '1-0:2.8.11', '1-0:2.8.12', '1-0:2.8.13',
  '1-0:1.8.3', '1-0:1.8.4', '1-0:2.8.3', '1-0:2.8.4', '1-0:5.8.0', '1-0:6.8.0', '1-0:7.8.0', '1-0:8.8.0', '1-0:15.8.0',
]);

/** A unit of the manifest in our fixed unit: Wh → kWh etc. */
const SCALE: Record<string, [string, number]> = {
  kWh: ['kWh', 1],
  Wh: ['kWh', 1e-3],
  kW: ['kW', 1],
  W: ['kW', 1e-3],
  kvarh: ['kvarh', 1],
  kVArh: ['kvarh', 1],
  varh: ['kvarh', 1e-3],
  kvar: ['kvar', 1],
  kVAr: ['kvar', 1],
  var: ['kvar', 1e-3],
  kVA: ['kVA', 1],
  V: ['V', 1],
  A: ['A', 1],
  Hz: ['Hz', 1],
  kwh: ['kWh', 1],
  kw: ['kW', 1],
  v: ['V', 1],
  a: ['A', 1],
};

/** The registry normalises `1-0:31.7.0.255`, `1-0:1.8.0*255` and `1-0:72:32.0` to plain codes. */
function plainObis(obis: string): string {
  return obis.replace(/[.*]255$/, '').replace(/^(\d-\d+:\d+):(\d+\.\d+)$/, '$1.$2');
}

function expectText(actual: string | null, expected: ExpectedText | undefined): void {
  if (expected === undefined) return;
  expect(actual).toBe(expected.raw === '' ? null : (expected.decoded ?? expected.raw));
}

/**
 * The instant of a manifest ISO time. Times without offset (DSMR 2.2/3.0 gas, no S/W flag) are
 * Dutch wall time: CEST from the last Sunday of March to the last Sunday of October, 01:00 UTC.
 */
function instantOf(iso: string): Date {
  if (/[Z+-]\d\d:\d\d$|Z$/.test(iso)) return new Date(iso);
  const asUtc = new Date(`${iso}Z`);
  const year = asUtc.getUTCFullYear();
  const lastSunday = (month: number) => {
    const d = new Date(Date.UTC(year, month + 1, 0, 1));
    return d.getTime() - d.getUTCDay() * 86_400_000;
  };
  const summerGuess = asUtc.getTime() - 2 * 3_600_000;
  const summer = summerGuess >= lastSunday(2) && summerGuess < lastSunday(9);
  return new Date(asUtc.getTime() - (summer ? 2 : 1) * 3_600_000);
}

function expectInstant(actual: Date | null, raw: string, iso: string | null): void {
  if (iso === null || isPlaceholder(raw)) expect(actual).toBeNull();
  else expect(actual).toEqual(instantOf(iso));
}

export function checkExpected(t: Telegram, e: Expected, c: Capture): void {
  expect(t.header?.raw).toBe(`/${e.header}`);
  expect(t.objects).toHaveLength(e.object_count);
  // the object list is lossless: each object's text as sent (value lines joined) in telegram order
  // (a code sent several times lists its lines in an array: then the order is compared per code)
  const sent = Object.entries(e.objects).flatMap(([obis, groups]) => (Array.isArray(groups) ? groups : [groups]).map((g) => obis + g));
  const received = t.objects.map((o) => o.raw.replace(/\r\n|\r|\n/g, ''));
  const repeated = Object.values(e.objects).some(Array.isArray);
  expect(repeated ? [...received].sort() : received).toEqual(repeated ? [...sent].sort() : sent);

  expect(expectedProfiles(c, e)).toContain(t.profile);
  if (e.p1_version_raw !== undefined) expect(t.version).toBe(e.p1_version_raw);
  if (e.be_version_raw !== undefined) expect(t.version).toBe(e.be_version_raw);
  expectText(t.logicalDeviceName, e.logical_device_name);
  if (e.timestamp !== undefined) expectInstant(t.timestamp, e.timestamp.raw, e.timestamp.iso);
  expectText(t.equipmentId, e.equipment_id);
  if (e.tariff_indicator !== undefined) expect(t.electricity.tariff).toBe(Number(e.tariff_indicator));

  for (const [obis, register] of Object.entries(e.registers ?? {})) {
    const target = REGISTERS[plainObis(obis)];
    if (target === undefined) {
      expect(RAW_ONLY, `${obis} is neither typed nor known to be raw-only`).toContain(obis);
      const object = t.objects.find((o) => o.obis === plainObis(obis));
      expect(object?.values[0], obis).toEqual({ raw: register.raw.split('*')[0], unit: register.raw.includes('*') ? register.raw.split('*')[1] : null });
      continue;
    }
    const actual = target.get(t);
    if (target.unit === 'threshold') {
      expect(actual, `${c.file} ${obis}`).toEqual({ value: register.value, unit: register.unit ?? null });
      continue;
    }
    const [unit, scale] = register.unit === undefined ? [target.unit, 1] : SCALE[register.unit]!;
    expect(unit, `${obis} unit`).toBe(target.unit);
    expect(actual, `${c.file} ${obis}`).toBeCloseTo(register.value * scale, 10);
  }

  if (e.power_failures !== undefined) expect(t.electricity.powerFailures.count).toBe(e.power_failures);
  if (e.long_power_failures !== undefined) expect(t.electricity.powerFailures.longCount).toBe(e.long_power_failures);
  if (e.power_failure_log !== undefined) {
    const log = t.electricity.powerFailures.log;
    const events = e.power_failure_log.events ?? [];
    expect(log).toHaveLength(events.length);
    events.forEach((event, i) => {
      expectInstant(log[i]!.end, event.end_raw, event.end_iso);
      expect(log[i]!.durationSeconds).toBe(event.duration_s >= 2 ** 31 - 1 ? null : event.duration_s);
    });
    const mismatch = t.warnings.some((w) => w.code === 'COUNT_MISMATCH' && w.obis === '1-0:99.97.0');
    expect(mismatch).toBe(e.power_failure_log.count_mismatch === true);
  }
  for (const [obis, count] of Object.entries(e.sag_swell_counters ?? {})) {
    expect(REGISTERS[obis]!.get(t), obis).toBe(count);
  }
  expectText(t.messages.text, e.text_message);
  expectText(t.messages.code, e.numeric_message);

  for (const device of e.mbus ?? []) {
    const actual = t.mbus.find((d) => d.channel === device.channel);
    expect(actual, `channel ${device.channel}`).toBeDefined();
    if (device.device_type !== undefined) expect(actual!.deviceType).toBe(device.device_type === '' ? null : Number(device.device_type));
    expectText(actual!.equipmentId, device.equipment_id);
    if (device.valve !== undefined) expect(actual!.valvePosition).toBe(Number(device.valve));
    const reading = device.reading;
    if (reading === undefined) expect(actual!.reading).toBeNull();
    else if (isPlaceholder(reading.timestamp_raw)) expect(actual!.reading).toBeNull();
    else {
      expect(actual!.reading).not.toBeNull();
      expectInstant(actual!.reading!.timestamp, reading.timestamp_raw, reading.timestamp_iso);
      const [unit, scale] = READING_SCALE[reading.unit ?? 'm3']!;
      if (scale === 1) expect(actual!.reading!.value).toBe(reading.value);
      else expect(actual!.reading!.value).toBeCloseTo(reading.value * scale, 10);
      expect(actual!.reading!.unit).toBe(unit);
      const dutchGas = t.profile === 'nl' && reading.obis.endsWith('24.2.1') && device.device_type !== undefined && Number(device.device_type) === 3;
      expect(actual!.reading!.temperatureCorrected).toBe(reading.obis.endsWith('24.2.3') ? false : dutchGas ? true : null);
    }
  }
}

/** M-Bus reading units of the manifests in our fixed units. */
const READING_SCALE: Record<string, [string, number]> = { m3: ['m3', 1], GJ: ['GJ', 1], MJ: ['GJ', 1e-3], kWh: ['kWh', 1], Wh: ['kWh', 1e-3] };

/**
 * The profiles a capture may be read in, from the manifest's country and version. Detection is a
 * heuristic: a Dutch telegram without version line may read as generic, an Austrian one in kWh
 * (not Sagemcom's Wh) looks Dutch.
 */
export function expectedProfiles(c: Capture, e: Expected): Profile[] {
  if (c.country === 'NL') {
    if (/^[23]\./.test(c.dsmr_version)) return ['nl-legacy'];
    return e.p1_version_raw === undefined ? ['nl', 'generic'] : ['nl'];
  }
  if (c.country === 'AT') return Object.values(e.registers ?? {}).some((r) => r.unit === 'Wh') ? ['at'] : ['at', 'nl'];
  // Itron ACE4000 sends the DSMR 2.2 codes as specified (`7-0:23.1.0`, no CRC)
  if (c.country === '?') return c.meter_header.startsWith('GRE') ? ['ch'] : ['generic', 'nl-legacy'];
  const byCountry: Record<string, Profile> = { BE: 'be', LU: 'lu', SE: 'se', HU: 'hu', DE: 'generic', IE: 'generic' };
  return [byCountry[c.country]!];
}

