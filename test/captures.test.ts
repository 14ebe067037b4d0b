/**
 * Every real capture behaves as its manifest says: parsed with the values of its `expected`
 * block, or rejected with the right code.
 */
import { describe, expect, it } from 'vitest';
import { decryptTelegram, parseTelegram, safeParseTelegram, type Profile, type Telegram } from '../src/index.js';
import { CAPTURES, captureBytes, type Capture, type Expected, type ExpectedText } from './helpers/captures.js';

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
const RAW_ONLY = new Set(['1-0:1.8.11', '1-0:1.8.12', '1-0:1.8.13', '1-0:2.8.11', '1-0:2.8.12', '1-0:2.8.13']);

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

function checkExpected(t: Telegram, e: Expected, c: Capture): void {
  expect(t.header.raw).toBe(`/${e.header}`);
  expect(t.objects).toHaveLength(e.object_count);
  // the object list is lossless: each object's text as sent (value lines joined) in telegram order
  expect(t.objects.map((o) => o.raw.replace(/\r\n|\r|\n/g, ''))).toEqual(Object.entries(e.objects).map(([obis, groups]) => obis + groups));

  expect(t.profile).toBe(expectedProfile(c));
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
    expect(log).toHaveLength(e.power_failure_log.events.length);
    e.power_failure_log.events.forEach((event, i) => {
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
      expect(actual!.reading!.value).toBe(reading.value);
      expect(actual!.reading!.unit).toBe(reading.unit ?? 'm3');
      const dutchGas = c.country === 'NL' && reading.obis.endsWith('24.2.1') && device.device_type !== undefined && Number(device.device_type) === 3;
      expect(actual!.reading!.temperatureCorrected).toBe(reading.obis.endsWith('24.2.3') ? false : dutchGas ? true : null);
    }
  }
}

/** The profile each capture must be read in, from the manifest's country and version. */
function expectedProfile(c: Capture): Profile {
  const byCountry: Record<string, Profile> = { BE: 'be', LU: 'lu', AT: 'at', SE: 'se', DE: 'generic', '?': 'ch' };
  if (c.country === 'NL') return /^[23]\./.test(c.dsmr_version) ? 'nl-legacy' : 'nl';
  return byCountry[c.country]!;
}

/** Files without a CRC that carry a version line: rejected by default (CRC policy). */
const needsCrc = (c: Capture) => !c.has_crc && c.expected.p1_version_raw !== undefined;

const plain = CAPTURES.filter((c) => !c.encrypted);

describe.each(CAPTURES.filter((c) => c.encrypted).map((c) => [c.file, c] as const))('%s (encrypted)', (_file, c) => {
  const frame = Buffer.from(Buffer.from(captureBytes(c.file)).toString('latin1').trim(), 'hex');

  it('decrypts with its keys and behaves as its manifest says', async () => {
    const plaintext = await decryptTelegram(frame, { key: c.key!, authenticationKey: c.aad! });
    if (c.crc_valid === false) {
      const result = safeParseTelegram(plaintext);
      expect(result.ok ? null : result.error.code).toBe('CRC_MISMATCH');
      checkExpected(parseTelegram(plaintext, { verifyCrc: false }), c.expected, c);
    } else {
      checkExpected(parseTelegram(plaintext), c.expected, c);
    }
  });
});

describe.each(plain.map((c) => [c.file, c] as const))('%s', (_file, c) => {
  const bytes = captureBytes(c.file);

  if (c.malformed) {
    it('is rejected, by its CRC and (unchecked) by its syntax', () => {
      const checked = safeParseTelegram(bytes);
      expect(checked.ok ? null : checked.error.code).toBe('CRC_MISMATCH');
      const unchecked = safeParseTelegram(bytes, { verifyCrc: false });
      expect(unchecked.ok ? null : unchecked.error.code).toBe('SYNTAX');
    });
    return;
  }

  if (c.crc_valid === false) {
    it('is rejected for its CRC, and parses with verifyCrc: false', () => {
      const result = safeParseTelegram(bytes);
      expect(result.ok ? null : result.error.code).toBe('CRC_MISMATCH');
      checkExpected(parseTelegram(bytes, { verifyCrc: false }), c.expected, c);
    });
    return;
  }

  if (needsCrc(c)) {
    it('is rejected for its missing CRC, and parses with verifyCrc: false', () => {
      const result = safeParseTelegram(bytes);
      expect(result.ok ? null : result.error.code).toBe('CRC_MISSING');
      checkExpected(parseTelegram(bytes, { verifyCrc: false }), c.expected, c);
    });
    return;
  }

  it('parses with the values of its manifest', () => {
    const t = parseTelegram(bytes);
    if (c.has_crc) expect(t.checksum).toEqual({ expected: parseInt(c.crc_field!, 16), actual: parseInt(c.crc_field!, 16) });
    else expect(t.checksum).toBeNull();
    checkExpected(t, c.expected, c);
  });
});
