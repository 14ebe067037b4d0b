/** Options several commands share, and their help text. */
import type { ParseArgsConfig } from 'node:util';
import type { DecoderOptions, DecryptionOptions } from '../index.js';
import { CliError } from './io.js';

export const DECODER_OPTIONS = {
  mode: { type: 'string' },
  'no-verify-crc': { type: 'boolean' },
  'time-zone': { type: 'string' },
  'max-telegram-bytes': { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const DECODER_HELP = `  --mode strict|lenient     lenient (default) accepts what real meters send, with warnings
  --no-verify-crc           accept telegrams whose CRC is wrong or missing
  --time-zone ZONE          zone of timestamps without S/W flag (default Europe/Amsterdam)
  --max-telegram-bytes N    drop frames larger than N bytes (default 16384)`;

export function decoderOptions(values: {
  mode?: string | undefined;
  'no-verify-crc'?: boolean | undefined;
  'time-zone'?: string | undefined;
  'max-telegram-bytes'?: string | undefined;
}): DecoderOptions {
  const options: DecoderOptions = {};
  if (values.mode !== undefined) {
    if (values.mode !== 'strict' && values.mode !== 'lenient') throw new CliError(`--mode must be strict or lenient, not ${JSON.stringify(values.mode)}`);
    options.mode = values.mode;
  }
  if (values['no-verify-crc'] === true) options.verifyCrc = false;
  if (values['time-zone'] !== undefined) options.timeZone = values['time-zone'];
  if (values['max-telegram-bytes'] !== undefined) options.maxTelegramBytes = integer('--max-telegram-bytes', values['max-telegram-bytes']);
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
