/** `dsmr-p1 decrypt`: encrypted P1 frames in (Luxembourg Smarty), plaintext telegrams out. */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { EncryptedTelegramDecoder, type DecryptedItem } from '../index.js';
import { DECRYPTION_OPTIONS, HELP_ROW, EXIT_HELP, decryptionOptions, exitCode, isSetupError, optionList } from './common.js';
import { CliError, checkSources, sourceName, write, type CliIo } from './io.js';

export const DECRYPT_HELP = `Usage: dsmr-p1 decrypt --key HEX [options] [file…]

Reads encrypted P1 frames (DB 08 …, as Luxembourg Smarty meters send them) from the files or
stdin and writes the decrypted telegrams to stdout. Frames that do not decrypt are reported on
stderr with their byte offset.

Options:
${optionList([
  ['--key HEX', 'the encryption key from the grid operator (32 hex characters)'],
  ['--auth-key HEX', "the authentication key (default Smarty's public\n00112233445566778899AABBCCDDEEFF)"],
  ['--no-authentication', 'also read frames without authentication tag (security byte 0x20)'],
  ['--hex', 'the input is hex text (whitespace ignored), not bytes'],
  HELP_ROW,
])}

${EXIT_HELP}`;

export async function decryptCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...DECRYPTION_OPTIONS,
      hex: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    await write(io.stdout, `${DECRYPT_HELP}\n`);
    return 0;
  }
  const decryption = decryptionOptions(values);
  if (decryption === undefined) throw new CliError('--key is required: the 32 hex characters your grid operator gave you');
  const sources = positionals.length === 0 ? ['-'] : positionals;
  checkSources(sources);

  let decrypted = 0;
  let failed = 0;
  let setupErrors = 0;
  for (const source of sources) {
    // a decoder per source: offsets count from the start of each, and no frame spans two files
    const decoder = new EncryptedTelegramDecoder({ decryption });
    const emit = async (items: DecryptedItem[]): Promise<void> => {
      for (const item of items) {
        if (item.error !== undefined) {
          failed++;
          if (isSetupError(item.error.code)) setupErrors++;
          io.stderr.write(`${sourceName(source)}: byte ${item.error.frameOffset ?? '?'}: ${item.error.code}: ${item.error.message.split('\n')[0]}\n`);
        } else {
          decrypted++;
          await write(io.stdout, Buffer.from(item.plaintext) as unknown as string);
        }
      }
    };
    const input: Readable = source === '-' ? io.stdin : createReadStream(source);
    let carry = '';
    for await (const chunk of input) {
      let bytes: Uint8Array = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : (chunk as Buffer);
      if (values.hex) {
        // hex text may split a byte across chunks: carry an odd digit over
        const digits = carry + Buffer.from(bytes).toString('latin1').replace(/[^0-9A-Fa-f]/g, '');
        const even = digits.length - (digits.length % 2);
        carry = digits.slice(even);
        bytes = Buffer.from(digits.slice(0, even), 'hex');
      }
      await emit(await decoder.decrypt(bytes));
    }
    await emit(await decoder.flushDecrypted());
  }
  io.stderr.write(`${decrypted} telegram${decrypted === 1 ? '' : 's'} decrypted, ${failed} failed\n`);
  return exitCode(decrypted, setupErrors);
}
