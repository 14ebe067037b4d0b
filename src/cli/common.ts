/** Options several commands share, and their help text. */
import type { ParseArgsConfig } from 'node:util';
import type { DecoderOptions, DecryptionOptions } from '../index.js';
import { CliError } from './io.js';

export const DECODER_OPTIONS = {
  mode: { type: 'string' },
  'no-verify-crc': { type: 'boolean' },
  'time-zone': { type: 'string' },
  'max-telegram-bytes': { type: 'string' },
  protocol: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** A row of a command's option list: the option, and what it does (`\n` for more lines). */
export type HelpRow = readonly [option: string, text: string];

/** The option list of a help text, its descriptions in one column. */
export function optionList(rows: readonly HelpRow[]): string {
  const width = Math.max(...rows.map(([option]) => option.length)) + 2;
  return rows
    .map(([option, text]) => {
      const [first, ...more] = text.split('\n');
      return [`  ${option.padEnd(width)}${first}`, ...more.map((line) => `  ${' '.repeat(width)}${line}`)].join('\n');
    })
    .join('\n');
}

export const DECODER_HELP: readonly HelpRow[] = [
  ['--mode strict|lenient', 'lenient (default) accepts what real meters send, with warnings'],
  ['--no-verify-crc', 'accept telegrams whose CRC is wrong or missing'],
  ['--time-zone ZONE', 'zone of timestamps without S/W flag (default Europe/Amsterdam)'],
  ['--max-telegram-bytes N', 'drop frames larger than N bytes (default 16384)'],
  ['--protocol auto|dsmr|dlms', 'DSMR text, DLMS/COSEM frames (HAN ports), or auto (default): by the bytes'],
];

export const DECRYPTION_HELP: readonly HelpRow[] = [
  ['--key HEX', 'the input is encrypted (Luxembourg Smarty, many DLMS meters): the key from the grid operator'],
  ['--auth-key HEX', "the authentication key (DSMR: default Smarty's public one; DLMS: none)"],
  ['--no-authentication', 'also read encrypted frames without authentication tag (0x20)'],
];

export const HELP_ROW: HelpRow = ['-h, --help', 'this help'];

/**
 * The errors that say the input cannot be read with the setup given (no key, a wrong key, a key
 * for plain telegrams): when nothing else could be read, the command exits with 1, not 0.
 */
const SETUP_ERRORS: ReadonlySet<string> = new Set(['ENCRYPTED_NO_KEY', 'UNENCRYPTED_TELEGRAM', 'DECRYPTION', 'AUTHENTICATION_REQUIRED']);

export const isSetupError = (code: string): boolean => SETUP_ERRORS.has(code);

/** Exit code 1 when no telegram was read and the setup was the reason; else 0. */
export const exitCode = (telegrams: number, setupErrors: number): number => (telegrams === 0 && setupErrors > 0 ? 1 : 0);

/** The exit codes, as every command's help states them. */
export const EXIT_HELP = `Exit code: 0 when the input could be read (bad telegrams included); 1 when no telegram could be
read because of the setup (encrypted input without --key, a wrong key, --key on plain telegrams);
2 on usage or I/O errors.`;

export function decoderOptions(values: {
  mode?: string | undefined;
  'no-verify-crc'?: boolean | undefined;
  'time-zone'?: string | undefined;
  'max-telegram-bytes'?: string | undefined;
  protocol?: string | undefined;
}): DecoderOptions {
  const options: DecoderOptions = {};
  if (values.mode !== undefined) {
    if (values.mode !== 'strict' && values.mode !== 'lenient') throw new CliError(`--mode must be strict or lenient, not ${JSON.stringify(values.mode)}`);
    options.mode = values.mode;
  }
  if (values['no-verify-crc'] === true) options.verifyCrc = false;
  if (values['time-zone'] !== undefined) options.timeZone = values['time-zone'];
  if (values['max-telegram-bytes'] !== undefined) options.maxTelegramBytes = integer('--max-telegram-bytes', values['max-telegram-bytes']);
  if (values.protocol !== undefined) {
    const { protocol } = values;
    if (protocol !== 'auto' && protocol !== 'dsmr' && protocol !== 'dlms') throw new CliError(`--protocol must be auto, dsmr or dlms, not ${JSON.stringify(protocol)}`);
    options.protocol = protocol;
  }
  return options;
}

export const DECRYPTION_OPTIONS = {
  key: { type: 'string' },
  'auth-key': { type: 'string' },
  'no-authentication': { type: 'boolean' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/**
 * `--key`, `--auth-key` and `--no-authentication` as decryption options; none without `--key`,
 * which the other two need.
 */
export function decryptionOptions(values: { key?: string | undefined; 'auth-key'?: string | undefined; 'no-authentication'?: boolean | undefined }): DecryptionOptions | undefined {
  const authenticationKey = values['auth-key'];
  if (values.key === undefined) {
    if (authenticationKey !== undefined) throw new CliError('--auth-key needs --key: the encryption key from the grid operator');
    if (values['no-authentication'] === true) throw new CliError('--no-authentication needs --key: the encryption key from the grid operator');
    return undefined;
  }
  const options: DecryptionOptions = { key: values.key };
  if (authenticationKey !== undefined) options.authenticationKey = authenticationKey;
  if (values['no-authentication'] === true) options.authentication = 'none';
  return options;
}

export function integer(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new CliError(`${name} must be a whole number, not ${JSON.stringify(text)}`);
  return value;
}

export function number(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new CliError(`${name} must be a number, not ${JSON.stringify(text)}`);
  return value;
}
