import type { DecryptionOptions } from './crypto/keys.js';
import { FRAMER_OPTIONS, type FramerOptions } from './dsmr/framer.js';
import { describe, optionsOf, type OptionNames } from './arguments.js';
import { DsmrError } from './errors.js';
import { PROFILES, type Profile } from './model/profile.js';
import { validateTimeZone } from './model/timestamp.js';
import type { ParseMode } from './report.js';

/** Options of {@link parseTelegram} (and of the streams, which pass them through). */
export interface ParseOptions {
  /**
   * `'lenient'` accepts what real meters send (LF-only lines, lower-case CRC, no blank line,
   * values without unit, …) and records each deviation in `warnings`; `'strict'` throws a
   * {@link DsmrError} for them instead. Both return the same shape.
   * @defaultValue `'lenient'`
   */
  mode?: ParseMode;
  /**
   * Check the CRC: a mismatch throws `CRC_MISMATCH`, a DSMR ≥ 4 telegram without CRC throws
   * `CRC_MISSING`. With `false` both are parsed and `checksum` still reports what was sent.
   * @defaultValue `true`
   */
  verifyCrc?: boolean;
  /**
   * IANA time zone for timestamps without an S/W flag (DSMR 2.2/3.0 gas readings). Flagged
   * timestamps are always CET (`W`, UTC+1) or CEST (`S`, UTC+2).
   * @defaultValue `'Europe/Amsterdam'`
   */
  timeZone?: string;
  /**
   * The country profile to read the telegram in (which country-specific codes apply), or
   * `'auto'` to detect it from the content. The result's `profile` says which was used.
   * @defaultValue `'auto'`
   */
  profile?: 'auto' | Profile;
}

export interface ResolvedParseOptions {
  mode: ParseMode;
  verifyCrc: boolean;
  timeZone: string;
  profile: 'auto' | Profile;
}

export const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';

export const PARSE_OPTIONS: OptionNames<ParseOptions> = { mode: true, verifyCrc: true, timeZone: true, profile: true };

/** Validates options and fills in defaults; throws `INVALID_OPTION` naming the bad one. */
export function resolveParseOptions(options: ParseOptions | undefined): ResolvedParseOptions {
  if (options === undefined) return { mode: 'lenient', verifyCrc: true, timeZone: DEFAULT_TIME_ZONE, profile: 'auto' };
  const { mode = 'lenient', verifyCrc = true, timeZone = DEFAULT_TIME_ZONE, profile = 'auto' } = optionsOf(options, PARSE_OPTIONS);
  if (mode !== 'lenient' && mode !== 'strict') {
    throw new DsmrError('INVALID_OPTION', `mode must be 'lenient' or 'strict', got ${describe(mode)}`);
  }
  if (typeof verifyCrc !== 'boolean') {
    throw new DsmrError('INVALID_OPTION', `verifyCrc must be a boolean, got ${describe(verifyCrc)}`);
  }
  validateTimeZone(timeZone);
  if (profile !== 'auto' && !PROFILES.includes(profile)) {
    throw new DsmrError('INVALID_OPTION', `profile must be 'auto' or one of ${PROFILES.map((p) => `'${p}'`).join(', ')}, got ${describe(profile)}`);
  }
  return { mode, verifyCrc, timeZone, profile };
}

/** Options of the decoding streams: parse options plus framing and decryption. */
export interface DecoderOptions extends ParseOptions, FramerOptions {
  /**
   * Decrypt encrypted P1 frames (Luxembourg Smarty) with these keys. The input is then framed by
   * the frames' length headers (`DB 08 …`), not by text.
   * @defaultValue none: the input is plain telegrams
   */
  decryption?: DecryptionOptions;
  /**
   * The protocol of the input: `'dsmr'` (P1 telegrams, plain or encrypted), `'dlms'` (DLMS/COSEM
   * data-notifications in HDLC or M-Bus frames, the HAN ports of Norway, Sweden, Denmark,
   * Austria, Switzerland, Slovenia, Poland), or `'auto'`: decided by the first frame start the
   * bytes show (`/` text or `DB 08` for DSMR, `7E` HDLC or `68` M-Bus for DLMS).
   * @defaultValue `'auto'`
   */
  protocol?: 'auto' | 'dsmr' | 'dlms';
}

export const DECODER_OPTIONS: OptionNames<DecoderOptions> = { ...PARSE_OPTIONS, ...FRAMER_OPTIONS, decryption: true, protocol: true };
