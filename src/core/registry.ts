/**
 * The OBIS registry: which data line fills which typed field, how its value reads, in which unit.
 * A data table, so that docs/obis.md is generated from it (scripts/obis-table.ts) and cannot drift.
 *
 * `n` in a code stands for an M-Bus channel 1..4. `field` is the path in {@link Telegram}:
 * `phases[1]` is phase L1, `mbus[n]` the device on channel n.
 */

/** How the value groups of an object read. */
export type ValueKind =
  /** text as sent (`1-3:0.2.8(50)` → `'50'`) */
  | 'text'
  /** hex-encoded octet string, decoded when printable */
  | 'hex'
  /** `YYMMDDhhmmssX` */
  | 'timestamp'
  /** decimal number in `unit` (a meter sending W/Wh/var/varh/VA is converted to k…) */
  | 'quantity'
  /** decimal integer without unit: counters, tariff `0002`, device type `003`, switch/valve states */
  | 'integer'
  /** `(value*unit)` kept in the meter's unit (the limiter threshold is A, kW or kVA by country) */
  | 'threshold'
  /** `(count)(buffer id)(end)(duration*s)…` */
  | 'failureLog'
  /** `(capture time)(value*unit)` of an M-Bus device */
  | 'mbusReading'
  /** DSMR 2.2/3.0 `(capture time)(status)(period)(z)(capture obis)(unit)` + `(value)` on the next line */
  | 'legacyReading'
  /** `(time)(value*kW)` */
  | 'demandPeak'
  /** `(count)(id)(id)(period end)(time)(value*kW)…` */
  | 'peakHistory';

export interface ObisEntry {
  /** Reduced OBIS code; `n` = M-Bus channel. */
  obis: string;
  /** Where the value goes in the Telegram. */
  field: string;
  kind: ValueKind;
  /** The fixed unit of the typed field (quantities, readings). */
  unit: string | null;
  description: string;
}

function entry(obis: string, field: string, kind: ValueKind, unit: string | null, description: string): ObisEntry {
  return { obis, field, kind, unit, description };
}

const PHASE_CODES = [
  [1, 21, 22, 23, 24, 31, 32],
  [2, 41, 42, 43, 44, 51, 52],
  [3, 61, 62, 63, 64, 71, 72],
] as const;

function phaseEntries(): ObisEntry[] {
  const entries: ObisEntry[] = [];
  for (const [phase, importC, exportC, reactiveImportC, reactiveExportC, currentC, voltageC] of PHASE_CODES) {
    const p = `electricity.phases[${phase}]`;
    const l = `L${phase}`;
    entries.push(
      entry(`1-0:${voltageC}.7.0`, `${p}.voltage`, 'quantity', 'V', `Instantaneous voltage ${l}`),
      entry(`1-0:${currentC}.7.0`, `${p}.current`, 'quantity', 'A', `Instantaneous current ${l}`),
      entry(`1-0:${importC}.7.0`, `${p}.powerImported`, 'quantity', 'kW', `Instantaneous active power ${l} (+P)`),
      entry(`1-0:${exportC}.7.0`, `${p}.powerExported`, 'quantity', 'kW', `Instantaneous active power ${l} (−P)`),
      entry(`1-0:${reactiveImportC}.7.0`, `${p}.reactivePowerImported`, 'quantity', 'kvar', `Instantaneous reactive power ${l} (+Q)`),
      entry(`1-0:${reactiveExportC}.7.0`, `${p}.reactivePowerExported`, 'quantity', 'kvar', `Instantaneous reactive power ${l} (−Q)`),
      entry(`1-0:${voltageC}.32.0`, `${p}.voltageSags`, 'integer', null, `Number of voltage sags ${l}`),
      entry(`1-0:${voltageC}.36.0`, `${p}.voltageSwells`, 'integer', null, `Number of voltage swells ${l}`),
    );
  }
  return entries;
}

function registers(c: number, path: string, unit: string, what: string): ObisEntry[] {
  return [
    entry(`1-0:${c}.8.0`, `${path}.total`, 'quantity', unit, `${what}, total`),
    entry(`1-0:${c}.8.1`, `${path}.tariff1`, 'quantity', unit, `${what}, tariff 1 (NL: low, BE: day)`),
    entry(`1-0:${c}.8.2`, `${path}.tariff2`, 'quantity', unit, `${what}, tariff 2 (NL: normal, BE: night)`),
  ];
}

/** DSMR 4.x / 5.0.2 (NL) and the registers the national variants share with it. */
export const OBIS_REGISTRY: readonly ObisEntry[] = [
  entry('1-3:0.2.8', 'version', 'text', null, 'P1 output version (`50` = DSMR 5.0, `42` = 4.2)'),
  entry('0-0:96.1.4', 'version', 'text', null, 'e-MUCS P1 version (Belgium, `50217` = DSMR 5.0.2 + e-MUCS 1.7)'),
  entry('0-0:1.0.0', 'timestamp', 'timestamp', null, 'Date and time of the telegram'),
  entry('0-0:96.1.1', 'equipmentId', 'hex', null, 'Equipment identifier of the E-meter'),
  ...registers(1, 'electricity.imported', 'kWh', 'Active energy imported (delivered to client)'),
  ...registers(2, 'electricity.exported', 'kWh', 'Active energy exported (delivered by client)'),
  ...registers(3, 'electricity.reactiveEnergy.imported', 'kvarh', 'Reactive energy imported (+Q)'),
  ...registers(4, 'electricity.reactiveEnergy.exported', 'kvarh', 'Reactive energy exported (−Q)'),
  entry('0-0:96.14.0', 'electricity.tariff', 'integer', null, 'Active tariff indicator'),
  entry('1-0:1.7.0', 'electricity.power.imported', 'quantity', 'kW', 'Actual power imported, all phases'),
  entry('1-0:2.7.0', 'electricity.power.exported', 'quantity', 'kW', 'Actual power exported, all phases'),
  entry('1-0:3.7.0', 'electricity.reactivePower.imported', 'quantity', 'kvar', 'Actual reactive power imported (+Q)'),
  entry('1-0:4.7.0', 'electricity.reactivePower.exported', 'quantity', 'kvar', 'Actual reactive power exported (−Q)'),
  entry('1-0:9.7.0', 'electricity.apparentPower.imported', 'quantity', 'kVA', 'Actual apparent power imported (+S)'),
  entry('1-0:10.7.0', 'electricity.apparentPower.exported', 'quantity', 'kVA', 'Actual apparent power exported (−S)'),
  entry('0-0:96.7.21', 'electricity.powerFailures.count', 'integer', null, 'Number of power failures in any phase'),
  entry('0-0:96.7.9', 'electricity.powerFailures.longCount', 'integer', null, 'Number of long power failures in any phase'),
  entry('1-0:99.97.0', 'electricity.powerFailures.log', 'failureLog', 's', 'Power failure event log (end time, duration)'),
  ...phaseEntries(),
  entry('0-0:17.0.0', 'electricity.threshold', 'threshold', null, 'Limiter threshold (A in DSMR 2.2/3.0, kW in DSMR 4.0/BE, kVA in LU)'),
  entry('0-0:96.3.10', 'electricity.switchPosition', 'integer', null, 'Breaker/switch state: 0 off, 1 on, 2 ready'),
  entry('1-0:1.4.0', 'electricity.demand.current', 'quantity', 'kW', 'Current 15-minute average import demand (e-MUCS)'),
  entry('1-0:1.6.0', 'electricity.demand.monthPeak', 'demandPeak', 'kW', 'Peak 15-minute average demand this month (e-MUCS)'),
  entry('0-0:98.1.0', 'electricity.demand.history', 'peakHistory', 'kW', 'Monthly demand peaks, up to 13 months (e-MUCS)'),
  entry('0-0:96.13.0', 'messages.text', 'hex', null, 'Text message (up to 1024 characters)'),
  entry('0-0:96.13.1', 'messages.code', 'hex', null, 'Numeric message code (DSMR 2.2–4.x)'),
  entry('0-n:24.1.0', 'mbus[n].deviceType', 'integer', null, 'M-Bus device type (3 gas, 4 heat, 7 water, …)'),
  entry('0-n:96.1.0', 'mbus[n].equipmentId', 'hex', null, 'M-Bus device equipment identifier'),
  entry('0-n:96.1.1', 'mbus[n].equipmentId', 'hex', null, 'M-Bus device equipment identifier (Belgium)'),
  entry('0-n:24.2.1', 'mbus[n].reading', 'mbusReading', null, 'M-Bus device reading with its capture time (gas: temperature corrected)'),
  entry('0-n:24.2.3', 'mbus[n].reading', 'mbusReading', null, 'M-Bus gas reading, not temperature corrected (Belgium)'),
  entry('0-n:24.3.0', 'mbus[n].reading', 'legacyReading', null, 'M-Bus device reading of DSMR 2.2/3.0 (value on the next line)'),
  entry('0-n:24.4.0', 'mbus[n].valvePosition', 'integer', null, 'M-Bus device valve position'),
];

const BY_CODE = new Map<string, ObisEntry>(OBIS_REGISTRY.map((e) => [e.obis, e]));

/**
 * The registry entry of a normalised OBIS code, or `undefined` for codes the registry does not
 * type (they still appear in `objects`). M-Bus codes `0-1:` … `0-4:` match their `0-n:` entry.
 */
export function lookupObis(obis: string): ObisEntry | undefined {
  const direct = BY_CODE.get(obis);
  if (direct !== undefined) return direct;
  const channel = obis.charCodeAt(2);
  if (obis.charCodeAt(0) === 48 && obis.charCodeAt(3) === 58 && channel >= 49 && channel <= 52) {
    return BY_CODE.get(`0-n${obis.slice(3)}`);
  }
  return undefined;
}
