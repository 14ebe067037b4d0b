import { describe, expect, it } from 'vitest';
import { OBIS_REGISTRY, PROFILES, parseTelegram, safeParseTelegram, tariffNames } from '../src/index.js';
import { TRANSPORTS, decodeWith } from './helpers/streams.js';
import { latin1, telegramText } from './helpers/telegram.js';

describe('profile detection', () => {
  const detect = (lines: string[], options: { header?: string; crc?: boolean } = {}) => parseTelegram(telegramText(lines, options), { verifyCrc: false }).profile;

  it('tells the countries apart by their content', () => {
    expect(detect(['1-3:0.2.8(50)', '1-0:1.8.1(000001.000*kWh)'])).toBe('nl');
    expect(detect(['1-3:0.2.8(50)', '1-0:1.8.0(000326641*Wh)'], { header: '/EST5\\253740976_A' })).toBe('at');
    expect(detect(['0-0:96.1.4(50217)', '1-0:1.8.1(000001.000*kWh)'], { header: '/FLU5\\253769484_A' })).toBe('be');
    expect(detect(['0-0:96.1.4(12345)', '1-1:1.8.1(001595.070*kWh)'], { header: '/GRE5\\\\12341234_A' })).toBe('ch');
    expect(detect(['1-3:0.2.8(42)', '0-0:42.0.0(53414731303330373930303032353734)'], { header: '/Lux5\\253694471_M' })).toBe('lu');
    expect(detect(['0-0:42.0.0(53414731)', '1-0:5.8.0(000001.000*kvarh)'], { header: '/SAG5SAG-METER' })).toBe('hu');
    expect(detect(['0-0:1.0.0(211115100940W)', '1-0:1.8.0(00000003.997*kWh)'], { header: '/KAM5' })).toBe('se');
    expect(detect(['0-0:96.1.1(4B384547)', '1-0:1.8.1(00185.000*kWh)'], { crc: false })).toBe('nl-legacy');
    expect(detect(['0-1:24.3.0(120517020000)(08)(60)(1)(0-1:24.2.1)(m3)', '(00124.477)'], { crc: false })).toBe('nl-legacy');
    expect(detect(['1-0:1.8.0*255(00032549.5061662*kWh)'], { header: '/ESY5Q3DA1004 V3.04', crc: false })).toBe('generic');
  });

  it('can be overridden, and rejects unknown profiles', () => {
    const text = telegramText(['0-0:42.0.0(53414731)', '1-0:1.8.1(000001.000*kWh)']);
    expect(parseTelegram(text).profile).toBe('lu');
    const asLegacy = parseTelegram(text, { profile: 'nl-legacy' });
    expect(asLegacy.profile).toBe('nl-legacy');
    expect(asLegacy.equipmentId).toBe('SAG1');
    expect(asLegacy.logicalDeviceName).toBeNull();
    const result = safeParseTelegram(text, { profile: 'xx' as 'nl' });
    expect(result.ok ? null : result.error.code).toBe('INVALID_OPTION');
  });

  it('hands out the registry and the profile list frozen: the parser reads the same objects', () => {
    expect(Object.isFrozen(PROFILES)).toBe(true);
    expect(Object.isFrozen(OBIS_REGISTRY)).toBe(true);
    for (const entry of OBIS_REGISTRY) {
      expect(Object.isFrozen(entry)).toBe(true);
      if (entry.profiles !== undefined) expect(Object.isFrozen(entry.profiles)).toBe(true);
      if (Array.isArray(entry.temperatureCorrected)) expect(Object.isFrozen(entry.temperatureCorrected)).toBe(true);
    }
  });

  it('names the tariffs where their meaning is known', () => {
    expect(tariffNames('nl')).toEqual({ tariff1: 'low', tariff2: 'normal' });
    expect(tariffNames('be')).toEqual({ tariff1: 'day', tariff2: 'night' });
    expect(tariffNames('se')).toBeNull();
  });
});

describe('Belgium (e-MUCS)', () => {
  const t = parseTelegram(
    telegramText(
      [
        '0-0:96.1.4(50217)',
        '1-0:1.4.0(02.351*kW)',
        '1-0:1.6.0(200509134558S)(02.589*kW)',
        '0-0:98.1.0(3)(1-0:1.6.0)(1-0:1.6.0)(200501000000S)(200423192538S)(03.695*kW)(200401000000S)(200305122139S)(05.980*kW)(200301000000S)(200210035421W)(04.318*kW)',
        '0-0:96.3.10(1)',
        '0-0:17.0.0(999.9*kW)',
        '1-0:31.4.0(999*A)',
        '0-1:24.1.0(003)',
        '0-1:96.1.1(37464C4F32313139303333373333)',
        '0-1:24.4.0(1)',
        '0-1:24.2.3(200512134558S)(00112.384*m3)',
        '0-2:24.1.0(007)',
        '0-2:96.1.1(3853414731323334353637383930)',
        '0-2:24.2.1(200512134558S)(00872.234*m3)',
      ],
      { header: '/FLU5\\253769484_A' },
    ),
  );

  it('reads the capacity tariff registers: current demand, month peak, 13-month history', () => {
    expect(t.profile).toBe('be');
    expect(t.version).toBe('50217');
    expect(t.electricity.demand).toEqual({
      current: 2.351,
      monthPeak: { timestamp: new Date('2020-05-09T13:45:58+02:00'), value: 2.589 },
      history: [
        { periodEnd: new Date('2020-05-01T00:00:00+02:00'), timestamp: new Date('2020-04-23T19:25:38+02:00'), value: 3.695 },
        { periodEnd: new Date('2020-04-01T00:00:00+02:00'), timestamp: new Date('2020-03-05T12:21:39+02:00'), value: 5.98 },
        { periodEnd: new Date('2020-03-01T00:00:00+02:00'), timestamp: new Date('2020-02-10T03:54:21+01:00'), value: 4.318 },
      ],
    });
    expect(t.warnings).toEqual([]);
  });

  it('reads breaker, limiter, fuse supervision and valve', () => {
    expect(t.electricity.switchPosition).toBe(1);
    expect(t.electricity.threshold).toEqual({ value: 999.9, unit: 'kW' });
    expect(t.electricity.phases[0]?.currentLimit).toBe(999);
    expect(t.mbus[0]?.valvePosition).toBe(1);
  });

  it('reads gas (not temperature corrected) and water by device type, ids on 96.1.1', () => {
    expect(t.mbus).toEqual([
      {
        channel: 1,
        deviceType: 3,
        equipmentId: '7FLO2119033733',
        reading: { timestamp: new Date('2020-05-12T13:45:58+02:00'), value: 112.384, unit: 'm3', temperatureCorrected: false },
        valvePosition: 1,
      },
      {
        channel: 2,
        deviceType: 7,
        equipmentId: '8SAG1234567890',
        reading: { timestamp: new Date('2020-05-12T13:45:58+02:00'), value: 872.234, unit: 'm3', temperatureCorrected: null },
        valvePosition: null,
      },
    ]);
  });

  it('reads the empty and the placeholder forms of the peak history', () => {
    const empty = parseTelegram(telegramText(['0-0:96.1.4(50217)', '0-0:98.1.0(0)(1-0:1.6.0)(1-0:1.6.0)()']));
    expect(empty.electricity.demand.history).toEqual([]);
    expect(empty.warnings).toEqual([]);
    const placeholder = parseTelegram(telegramText(['0-0:96.1.4(50217)', '0-0:98.1.0(1)(1-0:1.6.0)(1-0:1.6.0)(632525252525W)(632525252525W)(00.000*kW)']));
    expect(placeholder.electricity.demand.history).toEqual([{ periodEnd: null, timestamp: null, value: 0 }]);
    expect(placeholder.warnings.map((w) => w.code)).toEqual(['TIMESTAMP_NOT_SET', 'TIMESTAMP_NOT_SET']);
    const truncated = parseTelegram(telegramText(['0-0:96.1.4(12345)', '0-0:98.1.0(12)']), { profile: 'be' });
    expect(truncated.electricity.demand.history).toEqual([]);
    expect(truncated.warnings.map((w) => w.code)).toEqual(['COUNT_MISMATCH']);
  });
});

describe('Luxembourg (Smarty) objects', () => {
  const t = parseTelegram(
    telegramText(
      [
        '1-3:0.2.8(42)',
        '0-0:42.0.0(53414731303330373930303032353734)',
        '1-0:3.8.0(000000.835*kvarh)',
        '1-0:4.7.0(00.000*kvar)',
        '0-0:17.0.0(069.0*kVA)',
        '1-0:9.7.0(00.021*kVA)',
        '1-1:31.4.0(100*A)(-063*A)',
        '0-0:96.3.10(1)',
        '0-1:96.3.10(0)',
        '0-2:96.3.10(1)',
      ],
      { header: '/Lux5\\253694471_M' },
    ),
  );

  it('reads the logical device name, reactive energy, the kVA limiter and the current thresholds', () => {
    expect(t.profile).toBe('lu');
    expect(t.logicalDeviceName).toBe('SAG1030790002574');
    expect(t.equipmentId).toBeNull();
    expect(t.electricity.reactiveEnergy.imported.total).toBe(0.835);
    expect(t.electricity.reactivePower.exported).toBe(0);
    expect(t.electricity.threshold).toEqual({ value: 69, unit: 'kVA' });
    expect(t.electricity.apparentPower.imported).toBe(0.021);
    expect(t.electricity.currentThreshold).toEqual({ imported: 100, exported: -63 });
  });

  it('reads 0-1/0-2:96.3.10 as relays, not M-Bus devices', () => {
    expect(t.electricity.switchPosition).toBe(1);
    expect(t.electricity.relays).toEqual([
      { relay: 1, state: 0 },
      { relay: 2, state: 1 },
    ]);
    expect(t.mbus).toEqual([]);
  });
});

describe('other variants', () => {
  it('reads Swiss electricity on B = 1, and not in other profiles', () => {
    const lines = ['0-0:96.1.4(12345)', '1-1:1.8.1(001595.070*kWh)', '1-1:1.7.0(01.622*kW)', '1-1:1.6.0(250315014500W)(15.206*kW)'];
    const ch = parseTelegram(telegramText(lines, { header: '/GRE5\\\\12341234_A' }));
    expect(ch.electricity.imported.tariff1).toBe(1595.07);
    expect(ch.electricity.power.imported).toBe(1.622);
    expect(ch.electricity.demand.monthPeak).toEqual({ timestamp: new Date('2025-03-15T01:45:00+01:00'), value: 15.206 });
    const asBe = parseTelegram(telegramText(lines), { profile: 'be' });
    expect(asBe.electricity.imported.tariff1).toBeNull();
    expect(asBe.objects).toHaveLength(4);
  });

  it('keeps the Hungarian 0-0:98.1.0 billing snapshot as raw objects only', () => {
    const hu = parseTelegram(telegramText(['0-0:42.0.0(53414731)', '1-0:5.8.0(000001.000*kvarh)', '0-0:98.1.0(230101000000W)(000001.000*kWh)']));
    expect(hu.profile).toBe('hu');
    expect(hu.electricity.demand.history).toEqual([]);
    expect(hu.warnings).toEqual([]);
    expect(hu.objects[2]!.values).toHaveLength(2);
  });

  it('reads Lithuanian power factors and frequency, Swedish reactive power per phase', () => {
    const t = parseTelegram(telegramText(['1-0:13.7.0(-1.000)', '1-0:33.7.0(0.975)', '1-0:14.7.0(49.98*Hz)', '1-0:23.7.0(0000.135*kVAr)', '1-0:24.7.0(0000.208*kvar)']));
    expect(t.electricity.powerFactor).toBe(-1);
    expect(t.electricity.frequency).toBe(49.98);
    expect(t.electricity.phases[0]).toMatchObject({ powerFactor: 0.975, reactivePowerImported: 0.135, reactivePowerExported: 0.208 });
  });
});

describe('DSMR 2.2/3.0', () => {
  const lines = [
    '0-0:96.1.1(5A424556303035303931323037363132)',
    '1-0:1.8.1(00185.000*kWh)',
    '1-0:1.7.0(0000.98*kW)',
    '0-0:17.0.0(999*A)',
    '0-1:24.1.0(3)',
    '0-1:24.3.0(120517020000)(08)(60)(1)(0-1:24.2.1)(m3)',
    '(00124.477)',
    '0-1:24.4.0(1)',
  ];

  it('reads the two-line gas reading, its flagless time in the time zone, and the threshold in A', () => {
    const t = parseTelegram(telegramText(lines, { crc: false }));
    expect(t.profile).toBe('nl-legacy');
    expect(t.checksum).toBeNull();
    expect(t.electricity.threshold).toEqual({ value: 999, unit: 'A' });
    expect(t.mbus).toEqual([
      {
        channel: 1,
        deviceType: 3,
        equipmentId: null,
        reading: { timestamp: new Date('2012-05-17T00:00:00Z'), value: 124.477, unit: 'm3', temperatureCorrected: null },
        valvePosition: 1,
      },
    ]);
    expect(t.objects[5]).toMatchObject({ obis: '0-1:24.3.0', line: 8, raw: '0-1:24.3.0(120517020000)(08)(60)(1)(0-1:24.2.1)(m3)\r\n(00124.477)' });
    const helsinki = parseTelegram(telegramText(lines, { crc: false }), { timeZone: 'Europe/Helsinki' });
    expect(helsinki.mbus[0]?.reading?.timestamp).toEqual(new Date('2012-05-16T23:00:00Z'));
  });

  it('warns of a flagless gas time in the autumn hour that occurs twice', () => {
    const t = parseTelegram(telegramText(['0-1:24.1.0(3)', '0-1:24.3.0(241027023000)(00)(60)(1)(0-1:24.2.1)(m3)', '(00001.001)'], { crc: false }));
    expect(t.mbus[0]?.reading?.timestamp).toEqual(new Date('2024-10-27T00:30:00Z'));
    expect(t.warnings.map((w) => w.code)).toEqual(['AMBIGUOUS_TIMESTAMP']);
  });

  it('warns of a value line that continues no 24.3.0 object', () => {
    const t = parseTelegram(telegramText(['1-0:1.7.0(0000.98*kW)', '(00001.001)'], { crc: false }));
    // appended, the power now has two values: that is reported too
    expect(t.warnings.map((w) => w.code)).toEqual(['CONTINUATION_LINE', 'INVALID_VALUE']);
    expect(t.objects[0]!.values).toHaveLength(2);
  });

  /** What a port opened as 8N1 delivers from a 7E1 meter: bit 7 carries the (even) parity. */
  function withParity(text: string): Uint8Array {
    return Uint8Array.from(text, (c) => {
      const code = c.charCodeAt(0);
      let ones = 0;
      for (let b = code; b; b >>= 1) ones += b & 1;
      return ones % 2 === 1 ? code | 0x80 : code;
    });
  }

  it('strips the parity bit of 7E1 characters read as 8N1, with a warning (strict: an error)', () => {
    const text = telegramText(lines, { header: '/ISk5\\2MT382-1003', crc: false });
    const bytes = withParity(text);
    expect(bytes[0]).toBe(0xaf);
    const t = parseTelegram(bytes);
    expect(t.warnings.map((w) => w.code)).toEqual(['PARITY_BIT_STRIPPED']);
    expect(t).toEqual({ ...parseTelegram(text), warnings: t.warnings });
    const strict = safeParseTelegram(bytes, { mode: 'strict' });
    expect(strict.ok ? null : strict.error.code).toBe('PARITY_BIT_STRIPPED');
  });

  it.each(TRANSPORTS)('strips the parity bit in a %s stream, however it is cut', async (transport) => {
    const one = telegramText(lines, { header: '/ISk5\\2MT382-1003', crc: false });
    const bytes = withParity(`noise ${one}${one}`);
    for (const step of [1, 3, 64]) {
      const chunks = Array.from({ length: Math.ceil(bytes.length / step) }, (_, i) => bytes.subarray(i * step, (i + 1) * step));
      const { telegrams, errors } = await decodeWith(transport, chunks);
      expect(errors).toEqual([]);
      expect(telegrams.map((t) => t.electricity.power.imported)).toEqual([0.98, 0.98]);
      expect(telegrams[0]!.warnings.map((w) => w.code)).toEqual(['PARITY_BIT_STRIPPED']);
    }
  });

  it('leaves 8N1 streams with an odd byte alone', async () => {
    const text = telegramText(['1-0:1.7.0(00.100*kW)'], { header: '/FLU5\xab769484_A' });
    const { telegrams } = await decodeWith('node', [latin1(`\xaf garbage ${text}`)]);
    expect(telegrams[0]!.warnings.map((w) => w.code)).toEqual(['HEADER_FORMAT']);
    expect(telegrams[0]!.header?.raw).toBe('/FLU5\xab769484_A');
  });
});
