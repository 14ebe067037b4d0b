/** The public API shared by the `dsmr-p1` and `dsmr-p1/web` entries. */
export { parseTelegram, safeParseTelegram, type SafeParseResult } from './core/dsmr/parse.js';
export { parseDlms, type ParseDlmsOptions } from './core/dlms/parse.js';
export { formatTelegram, type TelegramInput, type ObjectInput, type ValueInput } from './core/dsmr/format.js';
export { crc16 } from './core/checksum.js';
export { crc16x25 } from './core/dlms/crc16x25.js';
export { DsmrError, isDsmrError, type DsmrErrorCode, type DsmrWarningCode, type DsmrPosition, type DsmrWarning, type DsmrErrorDetails, type CrcPair } from './core/errors.js';
export type { ParseOptions, DecoderOptions } from './core/options.js';
export type { ParseMode } from './core/report.js';
export { OBIS_REGISTRY, type ObisEntry, type ValueKind } from './core/model/registry.js';
export { TelegramDecoder, createDecoder, type Decoder, type DecoderStats, type DecodedItem } from './core/decoder.js';
export { EncryptedTelegramDecoder, type DecryptedItem } from './core/crypto/encrypted-decoder.js';
export { decryptTelegram, type EncryptionInfo } from './core/crypto/decrypt.js';
export { SMARTY_AUTHENTICATION_KEY, type DecryptionOptions } from './core/crypto/keys.js';
export { tariffNames, PROFILES, type Profile, type TariffNames } from './core/model/profile.js';
export { formatTimestamp } from './core/model/timestamp.js';
export { TelegramFramer, type FramerEvent, type FramerOptions } from './core/dsmr/framer.js';
export { readTelegrams, type ByteSource, type ReadTelegramsOptions } from './stream/iterate.js';
export type {
  Telegram,
  DsmrTelegram,
  DlmsTelegram,
  DlmsInfo,
  TelegramFields,
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
} from './core/model/telegram.js';
