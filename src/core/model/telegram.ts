import type { EncryptionInfo } from '../crypto/decrypt.js';
import type { CrcPair, DsmrWarning } from '../errors.js';
import type { Profile } from './profile.js';

/** One `(…)` value group of a data line, exactly as sent. */
export interface CosemValue {
  /** The text before `*` (or the whole group without `*`), e.g. `000638.971`, `160416112854S`, `0-0:96.7.19`. */
  raw: string;
  /** The text after `*`, e.g. `kWh`, as sent (case kept); `null` when the group has no `*`. */
  unit: string | null;
}

/** One data line (COSEM object), in telegram order; unknown codes included. */
export interface CosemObject {
  /**
   * The OBIS code, normalised to `A-B:C.D.E` (a `.255` suffix or `:` separator is in `raw`).
   * DLMS: as the meter sent it (`.F` when F is not 255); `''` for a value of a list that names no
   * codes and whose layout is not known.
   */
  obis: string;
  /** Every value group, in order. A DSMR 2.2/3.0 `24.3.0` object includes the groups of its value line. */
  values: CosemValue[];
  /** 1-based line number of the object in the parsed input (DLMS: its place in the list). */
  line: number;
  /** The object's text exactly as sent, without the final line end (DLMS: as DSMR would write it, `1-0:1.7.0(1362*W)`). */
  raw: string;
}

/** The identification line, e.g. `/ISk5\2MT382-1000`. */
export interface TelegramHeader {
  /** The whole line, `/` included. */
  raw: string;
  /** The 3-letter FLAG manufacturer id, e.g. `ISk`, `KFM`. */
  manufacturer: string;
  /** The IEC 62056-21 baud-rate character (informational only: DSMR 4/5 send `5` and run at 115200). */
  baudRate: string;
  /** The rest of the line, as sent, e.g. `\2MT382-1000`. */
  identification: string;
}

/** Energy registers in kWh (or kvarh for reactive energy). */
export interface EnergyRegisters {
  /** kWh (kvarh), `C.8.0`: the total register, as sent (Dutch and Belgian meters send none). */
  total: number | null;
  /** kWh (kvarh), `C.8.1`: tariff 1 (NL: low/night, BE: day) */
  tariff1: number | null;
  /** kWh (kvarh), `C.8.2`: tariff 2 (NL: normal/day, BE: night) */
  tariff2: number | null;
  /**
   * kWh (kvarh) over all tariffs, what a bill calls the meter reading: `total` when the meter
   * sends it; else `tariff1 + tariff2`, added in decimals so that it is exact (then
   * {@link allTariffsComputed} is `true`). `null` when neither is sent, or when the meter also
   * sends other tariff registers (`C.8.3`, …), which two registers would not add up to.
   */
  allTariffs: number | null;
  /** `true` when {@link allTariffs} is computed from `tariff1` and `tariff2`, not sent by the meter. */
  allTariffsComputed: boolean;
}

/**
 * A pair of instantaneous values in the direction of the grid (imported) and back (exported),
 * in the unit of the field that holds it: kW (`power`), kvar (`reactivePower`), kVA
 * (`apparentPower`), A (`currentThreshold`).
 */
export interface PowerPair {
  /** kW (kvar, kVA, A: see {@link PowerPair}): taken from the grid (the meter's "delivered to client"). */
  imported: number | null;
  /** kW (kvar, kVA, A: see {@link PowerPair}): fed back into the grid (the meter's "delivered by client"). */
  exported: number | null;
}

/** Per-phase instantaneous values. */
export interface Phase {
  /** The phase: 1 = L1, 2 = L2, 3 = L3. */
  phase: 1 | 2 | 3;
  /** V, `1-0:32/52/72.7.0` */
  voltage: number | null;
  /** A, `1-0:31/51/71.7.0` */
  current: number | null;
  /** kW, `1-0:21/41/61.7.0` */
  powerImported: number | null;
  /** kW, `1-0:22/42/62.7.0` */
  powerExported: number | null;
  /** kvar, `1-0:23/43/63.7.0` */
  reactivePowerImported: number | null;
  /** kvar, `1-0:24/44/64.7.0` */
  reactivePowerExported: number | null;
  /** count, `1-0:32/52/72.32.0` */
  voltageSags: number | null;
  /** count, `1-0:32/52/72.36.0` */
  voltageSwells: number | null;
  /** `1-0:33/53/73.7.0` (Lithuania) */
  powerFactor: number | null;
  /** A, `1-0:31/51/71.4.0`: fuse supervision threshold (Belgium, L1), current limit (Hungary) */
  currentLimit: number | null;
}

/** One entry of the long power failure log `1-0:99.97.0`. */
export interface PowerFailure {
  /** When the failure ended; `null` when the meter sent a placeholder. */
  end: Date | null;
  /** How long it lasted; `null` when the meter sent a placeholder (≥ 2^31 − 1). */
  durationSeconds: number | null;
}

/** A 15-minute average demand peak (Belgian e-MUCS). */
export interface DemandPeak {
  /** When the peak occurred. */
  timestamp: Date | null;
  /** kW */
  value: number | null;
}

/** One month of the e-MUCS peak history `0-0:98.1.0`. */
export interface MonthlyPeak extends DemandPeak {
  /** The end of the billing period (00:00 on the 1st of the next month). */
  periodEnd: Date | null;
}

/** The electricity meter's registers and instantaneous values, each `null` when not sent. */
export interface Electricity {
  /** Active tariff, `0-0:96.14.0` (`0001` → 1). */
  tariff: number | null;
  /** kWh, `1-0:1.8.x` */
  imported: EnergyRegisters;
  /** kWh, `1-0:2.8.x` */
  exported: EnergyRegisters;
  /** kW, `1-0:1.7.0` / `1-0:2.7.0` */
  power: PowerPair;
  /** kvarh, `1-0:3.8.x` / `1-0:4.8.x` */
  reactiveEnergy: {
    /** kvarh, `1-0:3.8.x`: reactive energy imported. */
    imported: EnergyRegisters;
    /** kvarh, `1-0:4.8.x`: reactive energy exported. */
    exported: EnergyRegisters;
  };
  /** kvar, `1-0:3.7.0` / `1-0:4.7.0` */
  reactivePower: PowerPair;
  /** kVA, `1-0:9.7.0` / `1-0:10.7.0` */
  apparentPower: PowerPair;
  /** Hz, `1-0:14.7.0` */
  frequency: number | null;
  /** `1-0:13.7.0`, all phases */
  powerFactor: number | null;
  /** L1..L3, those present in the telegram. */
  phases: Phase[];
  /** Power failure counters and the long power failure event log. */
  powerFailures: {
    /** `0-0:96.7.21` */
    count: number | null;
    /** `0-0:96.7.9` */
    longCount: number | null;
    /** `1-0:99.97.0`, in the order sent (meters send the most recent first). */
    log: PowerFailure[];
  };
  /** `0-0:17.0.0`: the limiter threshold, in the unit the meter uses (A in DSMR 2.2/3.0, kW in 4.0/BE, kVA in LU). */
  threshold: {
    /** The threshold, in `unit`. */
    value: number;
    /** The unit as sent (`A`, `kW`, `kVA`), `null` when the meter sent none. */
    unit: string | null;
  } | null;
  /** `0-0:96.3.10`: breaker/switch state, 0 disconnected, 1 connected, 2 ready for reconnection. */
  switchPosition: number | null;
  /** Luxembourg `0-1:96.3.10`, `0-2:96.3.10`: the states of relays 1 and 2. */
  relays: {
    /** The relay number: the channel of its OBIS code (`0-1:…` → 1). */
    relay: number;
    /** 0 disconnected, 1 connected, 2 ready for reconnection; `null` when not a number. */
    state: number | null;
  }[];
  /** A, Luxembourg `1-1:31.4.0`: current thresholds of import and (signed) export. */
  currentThreshold: PowerPair | null;
  /** Belgian capacity-tariff demand registers. */
  demand: {
    /** kW, `1-0:1.4.0`: running 15-minute average import. */
    current: number | null;
    /** `1-0:1.6.0`: highest 15-minute average this month. */
    monthPeak: DemandPeak | null;
    /** `0-0:98.1.0`: monthly peaks of up to 13 months. */
    history: MonthlyPeak[];
  };
}

/** The reading of an M-Bus device. */
export interface MbusReading {
  /** When the device captured the value (not the telegram time). */
  timestamp: Date | null;
  /** The meter reading, in {@link unit}: m3 for gas and water, GJ (or kWh) for heat. */
  value: number;
  /** `m3`, `GJ` or `kWh` (Wh is converted); from the device type when the meter sends no unit. */
  unit: string | null;
  /**
   * Gas volume converted to 15 °C: `true` for Dutch `24.2.1` gas readings, `false` for Belgian
   * `24.2.3`, `null` where unknown (DSMR 3.0 "depends on the display", other media).
   */
  temperatureCorrected: boolean | null;
}

/** A device on an M-Bus channel (gas, water, heat, slave E-meter). */
export interface MbusDevice {
  /** 1..4 */
  channel: number;
  /** EN 13757-3 medium: 3 gas, 4 heat, 7 water, 2 electricity, … (`0-n:24.1.0`) */
  deviceType: number | null;
  /** `0-n:96.1.0`, hex decoded when printable. */
  equipmentId: string | null;
  /** `0-n:24.2.1` */
  reading: MbusReading | null;
  /** `0-n:24.4.0`: valve state (0 closed, 1 open, 2 ready). */
  valvePosition: number | null;
}

/**
 * What the meter sent, read into typed fields in fixed units, plus every raw object: a DSMR
 * telegram ({@link DsmrTelegram}) or a DLMS/COSEM message ({@link DlmsTelegram}). The typed
 * fields are the same whatever the protocol; `protocol` tells the two apart where they differ
 * (`header`, `checksum`, `dlms`).
 */
export type Telegram = DsmrTelegram | DlmsTelegram;

/** A DSMR telegram: the text a P1 port sends (`/` header, data lines, `!CRC`). */
export interface DsmrTelegram extends TelegramFields {
  /** The protocol: DSMR text. */
  protocol: 'dsmr';
  /** The identification line. */
  header: TelegramHeader;
  /** `expected`: the CRC after `!`; `actual`: computed over `/`…`!`; `null` when no CRC was sent. */
  checksum: CrcPair | null;
  /** Only on DLMS messages. */
  dlms: null;
}

/**
 * A DLMS/COSEM data-notification, as the HAN ports of Norway, Sweden, Denmark, Austria,
 * Switzerland, Slovenia and Poland send it (HDLC or M-Bus frames, whose checksums were checked).
 */
export interface DlmsTelegram extends TelegramFields {
  /** The protocol: binary DLMS/COSEM. */
  protocol: 'dlms';
  /** DLMS has no identification line: see `dlms.listId`, `equipmentId`, `meterType`. */
  header: null;
  /** DSMR's CRC; a DLMS frame's checksums (HDLC FCS, M-Bus checksum) were checked on the way. */
  checksum: null;
  /** What DLMS says besides the objects. */
  dlms: DlmsInfo;
}

/** The DLMS side of a {@link DlmsTelegram}. */
export interface DlmsInfo {
  /** How the message came: HDLC frames, M-Bus long frames, or a bare APDU. */
  transport: 'hdlc' | 'mbus' | 'apdu';
  /** The list version id (`1-1:0.2.129`): `AIDON_V0001`, `KFM_001`, `Kamstrup_V0001`; `null` when not sent. */
  listId: string | null;
  /**
   * The documented convention that gave the list's OBIS codes (lists of values only) or scalers
   * (lists without them), e.g. `'Kaifa KFM_001'`; `null` when the list said everything itself.
   */
  convention: string | null;
  /** The data-notification's invoke id (often a counter). */
  invokeId: number;
  /** The data-notification's own time, as an instant; `null` when it has none. */
  time: Date | null;
}

/** The fields every telegram has, whatever its protocol. */
export interface TelegramFields {
  /** The country profile the telegram was read in: detected, or the `profile` option. */
  profile: Profile;
  /** Every object, in order, unknown codes included, with raw value text (DLMS: written as DSMR would write it). */
  objects: CosemObject[];
  /** What lenient parsing tolerated, with positions. */
  warnings: DsmrWarning[];
  /**
   * For a telegram decrypted by a decoding stream: how its frame was protected (system title,
   * frame counter, and whether a GCM tag authenticated it); `null` for a plain telegram.
   */
  encryption: EncryptionInfo | null;
  /** `1-3:0.2.8` (`50` = DSMR 5.0) or the Belgian `0-0:96.1.4` (`50217`). */
  version: string | null;
  /** `0-0:1.0.0` as an absolute instant (DLMS: the clock object, else the data-notification's time). */
  timestamp: Date | null;
  /** `0-0:96.1.1` (DSMR 2.2 as specified: `0-0:42.0.0`; DLMS: `0-0:96.1.0`), hex decoded when printable, else as sent. */
  equipmentId: string | null;
  /** `0-0:42.0.0`, the COSEM logical device name (Luxembourg, Hungary, DLMS meters), hex decoded when printable. */
  logicalDeviceName: string | null;
  /** `0-0:96.1.7`, the meter type (DLMS: Aidon `6515`, Kaifa `MA304H3E`). */
  meterType: string | null;
  /** The electricity meter's values in fixed units. */
  electricity: Electricity;
  /** By channel, whatever the device type. */
  mbus: MbusDevice[];
  /**
   * The gas meter's reading (m3): of the M-Bus device of type 3, whatever its channel (the most
   * recent if there are several); `null` when there is none or it has no valid reading.
   */
  gas: MbusReading | null;
  /** The water meter's reading (m3): of the M-Bus device of type 7, as {@link gas}. */
  water: MbusReading | null;
  /** The heat meter's reading (GJ, or kWh as sent): of the M-Bus device of type 4, as {@link gas}. */
  heat: MbusReading | null;
  /** `0-0:96.13.1` (numeric code) and `0-0:96.13.0` (text), hex decoded when printable; `null` when empty. */
  messages: {
    /** `0-0:96.13.1`: the numeric message (DSMR 2.2–4.x), hex decoded when printable. */
    code: string | null;
    /** `0-0:96.13.0`: the text message, hex decoded when printable. */
    text: string | null;
  };
}
