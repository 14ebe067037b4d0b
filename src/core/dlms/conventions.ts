/**
 * What a list leaves unsaid: many meters send values without their OBIS codes (the meaning is the
 * position) or without their scaler and unit (the manufacturer's documentation gives them). A
 * convention says both for one family of lists, recognised by its list id or its manufacturer.
 * The conventions come from public documentation (docs/dlms.md lists the sources); a list that
 * none fits keeps its values raw, with a warning, rather than a guessed scale.
 */
import { DlmsUnit, type ListShape } from './list.js';

const { W, var: VAR, Wh: WH, varh: VARH, A, V } = DlmsUnit;

/** `[scaler, unit]` by code `C.D.E` of an electricity code (A = 1, any B), written `'31.7.0'`. */
type ScalerTable = Readonly<Record<string, readonly [scaler: number, unit: number]>>;

/** A scaler table by `C·10⁶ + D·10³ + E` (an ObisCode's `low`): looked up without a string per value. */
export type Scalers = ReadonlyMap<number, readonly [scaler: number, unit: number]>;

function scalers(table: ScalerTable): Scalers {
  return new Map(
    Object.entries(table).map(([code, scale]) => {
      const [c, d, e] = code.split('.').map(Number) as [number, number, number];
      return [c * 1e6 + d * 1e3 + e, scale] as const;
    }),
  );
}

export interface ListConvention {
  /** for messages and `telegram.dlms.convention` */
  readonly name: string;
  /** the lists it is for */
  readonly fits: (list: ListIdentity) => boolean;
  /** codes by position for lists of values only, by the list's length; `null`: a position whose meaning is not documented */
  readonly layouts?: Readonly<Record<number, readonly (string | null)[]>>;
  /** scalers and units of values sent without them */
  readonly scalers?: Scalers;
}

/** What tells lists apart: the list id, the manufacturer (FLAG id of the logical device name or system title), the shape. */
export interface ListIdentity {
  listId: string | null;
  manufacturer: string | null;
  shape: ListShape;
}

const phases = (c: readonly [number, number, number], scaler: number, unit: number): ScalerTable =>
  Object.fromEntries(c.map((code) => [`${code}.7.0`, [scaler, unit] as const]));
const CURRENTS = [31, 51, 71] as const;
const VOLTAGES = [32, 52, 72] as const;
const POWER: ScalerTable = { '1.7.0': [0, W], '2.7.0': [0, W] };
const REACTIVE_POWER: ScalerTable = { '3.7.0': [0, VAR], '4.7.0': [0, VAR] };
const energy = (scaler: number): ScalerTable => ({ '1.8.0': [scaler, WH], '2.8.0': [scaler, WH], '3.8.0': [scaler, VARH], '4.8.0': [scaler, VARH] });

const LIST_ID = '1-1:0.2.129';
const METER_ID = '0-0:96.1.0';
const METER_TYPE = '0-0:96.1.7';
const CLOCK = '0-0:1.0.0';
const LOGICAL_DEVICE_NAME = '0-0:42.0.0';
const el = (...codes: string[]): string[] => codes.map((c) => `1-0:${c}`);

/** Kaifa's Norwegian and Swedish lists (list id `KFM_001`), single and three phase. */
const KAIFA_LIST_2_1P = [LIST_ID, METER_ID, METER_TYPE, ...el('1.7.0', '2.7.0', '3.7.0', '4.7.0', '31.7.0', '32.7.0')];
const KAIFA_LIST_2_3P = [LIST_ID, METER_ID, METER_TYPE, ...el('1.7.0', '2.7.0', '3.7.0', '4.7.0', '31.7.0', '51.7.0', '71.7.0', '32.7.0', '52.7.0', '72.7.0')];
const LIST_3_ADDS = [CLOCK, ...el('1.8.0', '2.8.0', '3.8.0', '4.8.0')];

export const CONVENTIONS: readonly ListConvention[] = [
  {
    name: 'Kaifa KFM_001',
    fits: (list) => list.listId === 'KFM_001',
    layouts: { 9: KAIFA_LIST_2_1P, 13: KAIFA_LIST_2_3P, 14: [...KAIFA_LIST_2_1P, ...LIST_3_ADDS], 18: [...KAIFA_LIST_2_3P, ...LIST_3_ADDS] },
    scalers: scalers({ ...POWER, ...REACTIVE_POWER, ...energy(0), ...phases(CURRENTS, -3, A), ...phases(VOLTAGES, -1, V) }),
  },
  {
    // Norwegian HAN list 1 (NEK 399): active power import alone, in W; Kaifa sends it without its code
    name: 'HAN list 1',
    fits: (list) => list.shape === 'values' && list.listId === null && list.manufacturer === null,
    layouts: { 1: el('1.7.0') },
    scalers: scalers(POWER),
  },
  {
    name: 'Kamstrup_V0001',
    fits: (list) => list.listId === 'Kamstrup_V0001',
    scalers: scalers({ ...POWER, ...REACTIVE_POWER, ...energy(1), ...phases(CURRENTS, -2, A), ...phases(VOLTAGES, 0, V) }),
  },
  {
    // the Swiss push list of the VSE recommendation, Iskraemeco AM550
    name: 'Iskraemeco push list',
    fits: (list) => list.manufacturer === 'ISK' && list.shape === 'push',
    scalers: scalers({ ...POWER, ...energy(0), ...phases(CURRENTS, -2, A), ...phases(VOLTAGES, -1, V) }),
  },
  {
    // the same list of Landis+Gyr E450 meters sends whole volts
    name: 'Landis+Gyr push list',
    fits: (list) => list.manufacturer === 'LGZ' && list.shape === 'push',
    scalers: scalers({ ...POWER, ...energy(0), ...phases(CURRENTS, -2, A), ...phases(VOLTAGES, 0, V) }),
  },
  {
    // a push list that names no manufacturer: only what both makers agree on
    name: 'push list',
    fits: (list) => list.manufacturer === null && list.shape === 'push',
    scalers: scalers({ ...POWER, ...energy(0), ...phases(CURRENTS, -2, A) }),
  },
  {
    // Elektro Ljubljana's Iskraemeco AM550 lists (Slovenia): instantaneous values, and registers (units not documented)
    name: 'Iskraemeco AM550 (Slovenia)',
    fits: (list) => list.manufacturer === 'ISK' && list.shape === 'values',
    layouts: {
      18: [LOGICAL_DEVICE_NAME, METER_ID, ...el('1.7.0', '2.7.0', '3.7.0', '4.7.0', '32.7.0', '52.7.0', '72.7.0', '31.7.0', '51.7.0', '71.7.0', '21.7.0', '41.7.0', '61.7.0', '22.7.0', '42.7.0', '62.7.0')],
      12: [LOGICAL_DEVICE_NAME, METER_ID, '0-0:96.3.10', '0-0:96.14.0', ...el('1.8.0', '1.8.1', '1.8.2', '2.8.0', '2.8.1', '2.8.2', '3.8.0', '4.8.0')],
    },
    scalers: scalers({ ...POWER, ...phases(CURRENTS, -2, A), ...phases(VOLTAGES, -1, V) }),
  },
  {
    // Netz Burgenland's Landis+Gyr E450 list (Austria); positions 11 to 13 are not documented
    name: 'Landis+Gyr E450 (Netz Burgenland)',
    fits: (list) => list.manufacturer === 'LGZ' && list.shape === 'values',
    layouts: { 14: [...el('32.7.0', '52.7.0', '72.7.0', '31.7.0', '51.7.0', '71.7.0', '1.7.0', '2.7.0', '1.8.0', '2.8.0'), null, null, null, METER_ID] },
  },
];

/** The convention of a list, or `undefined` when none fits. */
export function conventionOf(list: ListIdentity): ListConvention | undefined {
  return CONVENTIONS.find((convention) => convention.fits(list));
}
