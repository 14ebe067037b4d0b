/** The public API shared by the `dsmr-p1` and `dsmr-p1/web` entries. */
export { parseTelegram, safeParseTelegram, type SafeParseResult } from './core/parse.js';
export { formatTelegram, type TelegramInput, type ObjectInput, type ValueInput } from './core/format.js';
export { crc16 } from './core/crc16.js';
export { DsmrError, isDsmrError, type DsmrErrorCode, type DsmrWarning, type DsmrWarningCode, type DsmrPosition, type DsmrErrorDetails, type CrcPair } from './core/errors.js';
export type { ParseOptions } from './core/options.js';
export type { ParseMode } from './core/report.js';
export { OBIS_REGISTRY, type ObisEntry, type ValueKind } from './core/registry.js';
export { TelegramDecoder, createDecoder, type Decoder, type DecoderOptions, type DecoderStats, type DecodedItem } from './core/decoder.js';
export { EncryptedTelegramDecoder, type DecryptedItem } from './core/encrypted-decoder.js';
export { decryptTelegram, SMARTY_AUTHENTICATION_KEY, type DecryptionOptions, type EncryptionInfo } from './core/decrypt.js';
export { tariffNames, PROFILES, type Profile, type TariffNames } from './core/profile.js';
export { TelegramFramer, type FramerEvent, type FramerOptions } from './core/framer.js';
export { readTelegrams, type ByteSource, type ReadTelegramsOptions } from './stream/iterate.js';
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
