/**
 * `dsmr-p1 simulate`: a meter on stdout. Telegrams of a profile whose values evolve plausibly,
 * at the meter's interval (or faster), optionally with faults injected: garbage between
 * telegrams, a damaged byte, a telegram cut off. Each fault is announced on stderr with the byte
 * offset of the telegram it hit, so a reader's reports can be checked against it.
 */
import { parseArgs } from 'node:util';
import { SMARTY_AUTHENTICATION_KEY, createDecoder } from '../index.js';
import { DECRYPTION_OPTIONS, HELP_ROW, decryptionOptions, integer, number, optionList } from './common.js';
import { encryptTelegram } from './encrypt.js';
import { CliError, write, type CliIo } from './io.js';
import { MeterSimulator, PROFILE_INTERVAL, random, SIMULATED_PROFILES, type SimulatedProfile } from './simulator.js';

export const SIMULATE_HELP = `Usage: dsmr-p1 simulate [options]

Writes the telegrams of a simulated meter to stdout, as its P1 port would.

Options:
${optionList([
  ['--profile NAME', 'the meter: nl5 (default: Dutch DSMR 5), nl4, nl2.2, be (e-MUCS),\nlu (Luxembourg Smarty); no-aidon, no-kaifa, no-kamstrup: Norwegian\nHAN meters (DLMS in HDLC frames, each in its maker\'s list layout)'],
  ['--interval SECONDS', "time between telegrams (default: the meter's, 1 s for nl5/be,\n10 s for the others); 0 writes them all at once"],
  ['--count N', 'stop after N telegrams (default: run until interrupted)'],
  ['--faults', 'inject faults: garbage between telegrams, damaged bytes,\ntelegrams cut off; each is announced on stderr'],
  ['--seed N', 'seed of the values and the faults (default 1)'],
  ['--key HEX', 'encrypt every telegram with this key (32 hex characters), as\nSmarty meters do (with --profile lu)'],
  ['--auth-key HEX', "the authentication key (default Smarty's public one)"],
  ['--no-authentication', 'encrypt without authentication tag (security byte 0x20)'],
  HELP_ROW,
])}

Example: dsmr-p1 simulate --count 20 --faults --interval 0 | dsmr-p1 parse --format table`;

export async function simulateCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      profile: { type: 'string', default: 'nl5' },
      interval: { type: 'string' },
      count: { type: 'string' },
      faults: { type: 'boolean' },
      seed: { type: 'string', default: '1' },
      ...DECRYPTION_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    await write(io.stdout, `${SIMULATE_HELP}\n`);
    return 0;
  }
  const profile = values.profile as SimulatedProfile;
  if (!SIMULATED_PROFILES.includes(profile)) throw new CliError(`--profile must be one of ${SIMULATED_PROFILES.join(', ')}, not ${JSON.stringify(values.profile)}`);
  const interval = values.interval === undefined ? PROFILE_INTERVAL[profile] : number('--interval', values.interval);
  const count = values.count === undefined ? Infinity : integer('--count', values.count);
  const seed = integer('--seed', values.seed);
  const encryption = decryptionOptions(values);
  // the keys a reader would take: checked the way the reader checks them
  if (encryption !== undefined) createDecoder({ decryption: encryption });
  const key = encryption === undefined ? null : Buffer.from(encryption.key as string, 'hex');
  const authenticationKey = Buffer.from((encryption?.authenticationKey as string | undefined) ?? SMARTY_AUTHENTICATION_KEY, 'hex');

  const meter = new MeterSimulator({ profile, seed });
  const dice = random(seed ^ 0x5eed);
  let offset = 0;
  let faults = 0;
  const emit = async (bytes: Uint8Array): Promise<void> => {
    offset += bytes.length;
    await write(io.stdout, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) as unknown as string);
  };
  const announce = (n: number, what: string) => io.stderr.write(`simulate: telegram ${n} at byte ${offset}: ${what}\n`);

  for (let n = 1; n <= count; n++) {
    let bytes: Uint8Array = meter.nextBytes();
    if (key !== null) bytes = encryptTelegram(bytes, key, authenticationKey, n, encryption?.authentication !== 'none');
    if (values.faults) {
      const roll = dice();
      if (roll < 0.08) {
        // garbage on the line (letters: no "/", no 0xDB, no HDLC flag): costs no telegram
        const garbage = Uint8Array.from({ length: 5 + Math.floor(dice() * 40) }, () => 0x41 + Math.floor(dice() * 26));
        await emit(garbage);
      } else if (roll < 0.16) {
        const at = 1 + Math.floor(dice() * (bytes.length - 12));
        bytes = bytes.slice();
        bytes[at] = bytes[at]! ^ (1 + Math.floor(dice() * 254));
        announce(n, `damaged (byte ${at} changed)`);
        faults++;
      } else if (roll < 0.24) {
        // past the first 12 bytes: a frame cut inside its header (before HDLC's HCS) cannot be told from noise
        const at = 12 + Math.floor(dice() * (bytes.length - 24));
        announce(n, `cut off after ${at} bytes`);
        // DSMR 2.2 has no CRC to tell a cut-off telegram from a whole one: a meter that restarts
        // ends the line first, so the next telegram starts on a new line
        bytes = profile === 'nl2.2' ? Uint8Array.from([...bytes.subarray(0, at), 0x0d, 0x0a]) : bytes.subarray(0, at);
        faults++;
      }
    }
    await emit(bytes);
    if (n < count && interval > 0) await new Promise((resolve) => setTimeout(resolve, interval * 1000));
  }
  if (values.faults) io.stderr.write(`simulate: ${count} telegrams, ${faults} damaged or cut off\n`);
  return 0;
}
