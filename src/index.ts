/**
 * dsmr-p1: read the P1 port of smart electricity meters.
 *
 * This entry point (`dsmr-p1`) holds the runtime-neutral core. Node streams and the serial
 * adapter come from their own entry points.
 *
 * @packageDocumentation
 */
export { parseTelegram, safeParseTelegram, type SafeParseResult } from './core/parse.js';
export { formatTelegram, type TelegramInput, type ObjectInput, type ValueInput } from './core/format.js';
export { crc16 } from './core/crc16.js';
export { DsmrError, isDsmrError, type DsmrErrorCode, type DsmrWarning, type DsmrWarningCode, type DsmrPosition } from './core/errors.js';
export type { ParseOptions } from './core/options.js';
export { OBIS_REGISTRY, type ObisEntry, type ValueKind } from './core/registry.js';
export type {
  Telegram,
  TelegramHeader,
  CosemObject,
  CosemValue,
  Electricity,
  EnergyRegisters,
  PowerPair,
  Phase,
  PowerFailure,
  DemandPeak,
  MonthlyPeak,
  MbusDevice,
  MbusReading,
} from './core/telegram.js';
