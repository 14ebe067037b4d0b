/**
 * parseDlms: one DLMS/COSEM message (HDLC frames, M-Bus frames or a bare APDU) → transport checks
 * → APDU (blocks joined, decrypted) → data-notification → objects → the same typed view as DSMR.
 */
import { describe, optionsOf, type OptionNames } from '../arguments.js';
import { decryptionKeys, type DecryptionOptions } from '../crypto/keys.js';
import { DsmrError } from '../errors.js';
import { buildFields } from '../model/build.js';
import { telegramOf } from '../model/fields.js';
import type { DlmsTelegram } from '../model/telegram.js';
import { resolveParseOptions, type ParseOptions, type ResolvedParseOptions } from '../options.js';
import { Reporter } from '../report.js';
import { BinaryFramer } from './framer.js';
import { HDLC, HDLC_FLAG } from './hdlc.js';
import { MBUS, MBUS_START } from './mbus.js';
import { ApduAssembler, readApdu, type ReadNotification, type Transport } from './message.js';
import { dateTimeText, dlmsObjects } from './objects.js';

/** Options of {@link parseDlms}. */
export interface ParseDlmsOptions extends Omit<ParseOptions, 'verifyCrc'> {
  /**
   * The keys of an encrypted message (general-glo-ciphering). Meters that send a GCM tag
   * (security byte `0x30`/`0x31`) need the authentication key too; those that send none
   * (`0x20`/`0x21`, Austria, Poland) are read only with `authentication: 'none'`.
   */
  decryption?: DecryptionOptions;
}

const PARSE_DLMS_OPTIONS: OptionNames<ParseDlmsOptions> = { mode: true, timeZone: true, profile: true, decryption: true };

/**
 * Parses one DLMS/COSEM data-notification, as the HAN port of a meter sends it: HDLC frames
 * (`7E … 7E`, segmented or carrying general-block-transfer blocks), M-Bus long frames
 * (`68 L L 68 … 16`), or the bare APDU. Every checksum is checked; an encrypted message is
 * decrypted with `decryption` (WebCrypto, hence the promise).
 *
 * @returns a {@link DlmsTelegram}: the same typed fields as a DSMR telegram, and every object.
 * @throws {@link DsmrError} `CRC_MISMATCH` for a damaged frame, `TRUNCATED` for a message cut off,
 *   `SYNTAX` for one that is not a data-notification, `ENCRYPTED_NO_KEY`, `DECRYPTION`,
 *   `AUTHENTICATION_REQUIRED`, `INVALID_OPTION`.
 */
export async function parseDlms(input: Uint8Array, options: ParseDlmsOptions = {}): Promise<DlmsTelegram> {
  if (!(input instanceof Uint8Array)) throw new DsmrError('INVALID_INPUT', `parseDlms expects a Uint8Array, got ${describe(input)}`);
  const { decryption, ...parseOptions } = optionsOf(options, PARSE_DLMS_OPTIONS);
  const resolved = resolveParseOptions(parseOptions);
  // DLMS meters have no common authentication key: none is assumed
  const keys = decryption === undefined ? null : decryptionKeys(decryption, 'dlms');
  const { transport, apdu } = oneApdu(input);
  return dlmsTelegram(await readApdu(apdu, keys), transport, resolved);
}

/** The APDU of a message's bytes; `SYNTAX`, `TRUNCATED` or `CRC_MISMATCH` when they hold no single good one. */
function oneApdu(bytes: Uint8Array): { transport: Transport; apdu: Uint8Array } {
  const first = bytes.findIndex((b) => b !== 0);
  const transport: Transport = bytes[first] === HDLC_FLAG ? 'hdlc' : bytes[first] === MBUS_START ? 'mbus' : 'apdu';
  const assembler = new ApduAssembler(transport);
  if (transport === 'apdu') return { transport, apdu: assembler.add({ payload: bytes, more: false, offset: 0 }) ?? cutOff('its general-block-transfer blocks') };
  const framer = new BinaryFramer(transport === 'hdlc' ? HDLC : MBUS);
  const apdus: Uint8Array[] = [];
  let frames = 0;
  for (const event of [...framer.push(bytes), ...framer.flush()]) {
    if (event.type === 'error') throw event.error;
    frames++;
    const apdu = assembler.add(event.frame);
    if (apdu !== null) apdus.push(apdu);
  }
  const name = transport === 'hdlc' ? 'HDLC' : 'M-Bus';
  if (frames === 0) throw new DsmrError('SYNTAX', `no ${name} frame whose checks pass in the input: not a DLMS message, or a damaged one`, { offset: first });
  if (apdus.length === 0) return cutOff(`its ${name} frames`);
  if (apdus.length > 1) throw new DsmrError('SYNTAX', `the input holds ${apdus.length} DLMS messages; parseDlms reads one (a stream reads many: createTelegramStream, readTelegrams)`);
  return { transport, apdu: apdus[0]! };
}

function cutOff(what: string): never {
  throw new DsmrError('TRUNCATED', `the DLMS message ends before the last of ${what}`);
}

/** The telegram of a data-notification. Warnings (strict: errors) on the objects. */
export function dlmsTelegram(read: ReadNotification, transport: Transport, options: ResolvedParseOptions): DlmsTelegram {
  const { notification, encryption, systemTitle } = read;
  const report = new Reporter('', options.mode);
  const list = dlmsObjects(notification.body, systemTitle, options.timeZone, report);
  const profile = options.profile === 'auto' ? 'generic' : options.profile;
  const fields = buildFields(list.stage, profile, options.timeZone, report);
  const timeText = notification.dateTime === null ? null : dateTimeText(notification.dateTime, options.timeZone);
  const time = timeText === null ? null : new Date(timeText);
  // without a clock object, the notification's own time
  fields.timestamp ??= time;
  const dlms = { transport, listId: list.listId, convention: list.convention, invokeId: notification.invokeId, time };
  return telegramOf<DlmsTelegram>(
    { protocol: 'dlms', header: null, dlms, profile, checksum: null, warnings: report.warnings, encryption, objects: list.stage.objects as DlmsTelegram['objects'] },
    fields,
  );
}

