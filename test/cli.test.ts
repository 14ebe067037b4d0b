import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { MeterSimulator } from '../src/cli/simulator.js';
import { parseDlms, parseTelegram } from '../src/index.js';
import { CAPTURES_DIR } from './helpers/captures.js';
import { APPENDIX_A1 } from './helpers/telegram.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'src/cli/bin.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with `input` on stdin; `tty`: stdout and stderr say they are terminals. */
async function run(args: string[], input: string | Buffer = '', { tty = false } = {}): Promise<Run> {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await main(args, { stdin: Readable.from([Buffer.from(input)]), stdout, stderr, env: {} });
  return { code, stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1') };
}

/** Runs the CLI as a real process (through tsx, no build needed). */
function spawnCli(args: string[], stdin?: NodeJS.ReadableStream): Promise<Run> & { stdout: NodeJS.ReadableStream } {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  if (stdin) stdin.pipe(child.stdin);
  else child.stdin.end();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const done = new Promise<Run>((resolve) => {
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1') }));
  });
  child.stdout.on('data', (c: Buffer) => out.push(c));
  return Object.assign(done, { stdout: child.stdout });
}

describe('dsmr-p1 (spawned)', () => {
  it('simulate --count 20 --faults | parse: 20 telegrams minus the damaged ones, each reported', async () => {
    const simulate = spawnCli(['simulate', '--count', '20', '--faults', '--interval', '0', '--seed', '3']);
    const parse = spawnCli(['parse'], simulate.stdout);
    const [sim, parsed] = await Promise.all([simulate, parse]);
    expect(sim.code).toBe(0);
    expect(parsed.code).toBe(0);
    const announced = [...sim.stderr.matchAll(/telegram (\d+) at byte (\d+): (damaged|cut off)/g)].map((m) => Number(m[2]));
    expect(announced.length).toBeGreaterThan(0);
    const lines = parsed.stdout.trim().split('\n');
    expect(lines).toHaveLength(20 - announced.length);
    for (const line of lines) expect(JSON.parse(line).header.raw).toBe('/ISk5\\2MT382-1000');
    const reported = [...parsed.stderr.matchAll(/^stdin: byte (\d+): (\w+):/gm)].map((m) => Number(m[1]));
    expect(reported).toEqual(announced);
    expect(parsed.stderr).toContain(`${20 - announced.length} telegrams, ${announced.length} invalid`);
  }, 60_000);

  it('exits 1 on encrypted input without --key, saying so once; --version; a typo gets "did you mean"', async () => {
    const key = '000102030405060708090A0B0C0D0E0F';
    const simulate = spawnCli(['simulate', '--profile', 'lu', '--count', '2', '--interval', '0', '--key', key]);
    const parse = spawnCli(['parse'], simulate.stdout);
    const [, parsed] = await Promise.all([simulate, parse]);
    expect(parsed.code).toBe(1);
    expect(parsed.stderr.match(/ENCRYPTED_NO_KEY: .*--key/g)).toHaveLength(1);
    const version = await spawnCli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
    const typo = await spawnCli(['parse', '--formt', 'csv']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown option --formt (did you mean --format?)');
  }, 60_000);

  it('prints help and exits 0; exits 2 with a hint on a bad command or option', async () => {
    const help = await spawnCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Commands:');
    const unknown = await spawnCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  }, 60_000);
});

describe('dsmr-p1 parse', () => {
  it('writes one JSON telegram per line by default, the values intact', async () => {
    const result = await run(['parse'], APPENDIX_A1 + APPENDIX_A1);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual(JSON.parse(JSON.stringify(parseTelegram(APPENDIX_A1))));
    expect(result.stderr).toBe('2 telegrams, 0 invalid, 0 bytes of garbage skipped\n');
  });

  it('writes a JSON array and a table, from files', async () => {
    const files = ['20-iskra-mt382-dsmr50-ndokter.txt', '29-fluvius-flu5-emucs171.txt'].map((f) => CAPTURES_DIR + f);
    const json = await run(['parse', '--format', 'json', ...files]);
    expect(JSON.parse(json.stdout).map((t: { profile: string }) => t.profile)).toEqual(['nl', 'be']);
    // times in local time with their offset, the one convention of table and watch
    const zone = process.env.TZ;
    process.env.TZ = 'Europe/Amsterdam';
    const table = await run(['parse', '--format', 'table', ...files]).finally(() => {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });
    const rows = table.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^time +meter +tariff +import kWh +export kWh +power kW +return kW +demand kW +peak kW +gas m3$/);
    expect(rows).toHaveLength(4);
    expect(rows[2]).toContain('2017-01-02 19:20:02+01:00');
    expect(rows[3]).toMatch(/ 2\.351 +2\.589 +112\.384$/); // the Belgian demand now and its month peak, then gas
  });

  it('reports invalid telegrams with file and byte offset, and still exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsmr-p1-'));
    const file = join(dir, 'log.txt');
    writeFileSync(file, `garbage${APPENDIX_A1.replace('231.4', '231.5')}${APPENDIX_A1}`, 'latin1');
    const result = await run(['parse', file]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`${file}: byte 7: CRC_MISMATCH:`);
    expect(result.stderr).toContain('1 telegram, 1 invalid, 7 bytes of garbage skipped');
    expect((await run(['parse', '--quiet', file])).stderr).toBe('');
  });

  it('draws a progress bar on a terminal for files of 4 MB or more, cleared before each report and the summary', async () => {
    const meter = new MeterSimulator({ seed: 3, start: new Date('2024-01-01T00:00:00Z') });
    const telegrams: string[] = [];
    for (let size = 0; size < 4.2 * 1024 * 1024; size += telegrams.at(-1)!.length) telegrams.push(meter.next());
    const damagedAt = Math.floor(telegrams.length / 2);
    telegrams[damagedAt] = telegrams[damagedAt]!.replace('ISk5', 'ISk6');
    const dir = mkdtempSync(join(tmpdir(), 'dsmr-p1-'));
    const large = join(dir, 'large.log');
    writeFileSync(large, telegrams.join(''), 'latin1');
    const small = join(dir, 'small.log');
    writeFileSync(small, telegrams.slice(0, 10).join(''), 'latin1');

    const onTerminal = await run(['parse', '--format', 'table', large], '', { tty: true });
    expect(onTerminal.code).toBe(0);
    const bars = onTerminal.stderr.match(/\r\[#* *\] +\d+%  [\d.]+ of 4\.2 MB/g) ?? [];
    expect(bars.length).toBeGreaterThanOrEqual(1);
    // each line that is not the bar starts on a cleared line: "\r", spaces over the bar, "\r"
    const clear = /\r {20,}\r/;
    const report = onTerminal.stderr.indexOf(`${large}: byte `);
    expect(report).toBeGreaterThan(0);
    expect(onTerminal.stderr.slice(0, report)).toMatch(new RegExp(`${clear.source}$`));
    const summary = onTerminal.stderr.indexOf(`${telegrams.length - 1} telegrams, 1 invalid`);
    expect(onTerminal.stderr.slice(report, summary)).toMatch(new RegExp(`${clear.source}$`));
    expect(onTerminal.stdout.split('\n').filter((line) => line.includes('ISk5'))).toHaveLength(telegrams.length - 1);

    // no bar off a terminal, nor for small files
    expect((await run(['parse', '--format', 'table', large])).stderr).not.toContain('\r');
    expect((await run(['parse', '--format', 'table', small], '', { tty: true })).stderr).not.toContain('\r');
  });

  it('passes parse options through and rejects bad ones with exit 2', async () => {
    const lf = APPENDIX_A1.replaceAll('\r\n', '\n');
    expect((await run(['parse', '--mode', 'strict'], lf)).stderr).toContain('CRC_MISMATCH');
    expect((await run(['parse', '--no-verify-crc'], lf)).stdout.trim().split('\n')).toHaveLength(1);
    const bad = await run(['parse', '--mode', 'loose']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--mode must be strict or lenient');
    expect(bad.stderr).toContain('dsmr-p1 parse --help');
    expect((await run(['parse', '--format', 'xml'])).code).toBe(2);
    expect((await run(['parse', '/no/such/file'])).stderr).toContain('cannot read /no/such/file');
    expect((await run(['parse', '--bogus'])).code).toBe(2);
  });
});

describe('dsmr-p1 simulate', () => {
  it('writes telegrams that parse cleanly, for every profile, values growing', async () => {
    for (const profile of ['nl5', 'nl4', 'nl2.2', 'be', 'lu']) {
      const result = await run(['simulate', '--profile', profile, '--count', '3', '--interval', '0']);
      expect(result.code).toBe(0);
      const parsed = await run(['parse'], result.stdout);
      const telegrams = parsed.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(telegrams, profile).toHaveLength(3);
      for (const t of telegrams) expect(t.warnings, profile).toEqual([]);
    }
  });

  it('simulates the Norwegian HAN meters: the same readings in three list layouts read as the same telegram', async () => {
    const start = new Date('2024-06-01T10:00:00Z');
    const read = async (profile: 'no-aidon' | 'no-kaifa' | 'no-kamstrup') => {
      const meter = new MeterSimulator({ profile, seed: 4, start });
      const telegrams = [];
      for (let i = 0; i < 5; i++) telegrams.push(await parseDlms(meter.nextBytes(), { mode: 'strict' }));
      return telegrams;
    };
    const [aidon, kaifa, kamstrup] = await Promise.all([read('no-aidon'), read('no-kaifa'), read('no-kamstrup')]);
    for (let i = 0; i < 5; i++) {
      for (const t of [aidon[i]!, kaifa[i]!, kamstrup[i]!]) {
        expect(t.warnings).toEqual([]);
        // the meter's clock: 10 s a message, from the start
        expect(t.timestamp).toEqual(new Date(start.getTime() + i * 10_000));
        expect(t.electricity.power.imported).toBe(kaifa[i]!.electricity.power.imported);
        // registers in each maker's resolution: Aidon and Kamstrup count 10 Wh
        expect(t.electricity.imported.total).toBeCloseTo(kaifa[i]!.electricity.imported.total!, 1);
        expect(t.electricity.phases.map((p) => p.voltage)).toEqual(kaifa[i]!.electricity.phases.map((p) => (t === kamstrup[i] ? Math.round(p.voltage!) : p.voltage)));
      }
    }
    expect([aidon[0]!.dlms.convention, kaifa[0]!.dlms.convention, kamstrup[0]!.dlms.convention]).toEqual([null, 'Kaifa KFM_001', 'Kamstrup_V0001']);
  });

  it('simulate --profile no-kaifa --faults | parse: each fault reported at its byte', async () => {
    const simulate = spawnCli(['simulate', '--profile', 'no-kaifa', '--count', '30', '--faults', '--interval', '0', '--seed', '5']);
    const parse = spawnCli(['parse', '--format', 'csv', '--fields', 'electricity.power.imported'], simulate.stdout);
    const [sim, parsed] = await Promise.all([simulate, parse]);
    const announced = [...sim.stderr.matchAll(/telegram (\d+) at byte (\d+): (damaged|cut off)/g)].map((m) => Number(m[2]));
    expect(announced.length).toBeGreaterThan(0);
    expect(parsed.stdout.trim().split('\n')).toHaveLength(1 + 30 - announced.length);
    const reported = [...parsed.stderr.matchAll(/^stdin: byte (\d+): (\w+):/gm)].map((m) => Number(m[1]));
    expect(reported).toEqual(announced);
  }, 60_000);

  it('is deterministic for a seed, and its registers only grow', () => {
    const a = new MeterSimulator({ seed: 9, start: new Date('2024-06-01T10:00:00Z') });
    const b = new MeterSimulator({ seed: 9, start: new Date('2024-06-01T10:00:00Z') });
    let previous = -1;
    for (let i = 0; i < 200; i++) {
      const text = a.next();
      expect(b.next()).toBe(text);
      const t = parseTelegram(text, { mode: 'strict' });
      const total = t.electricity.imported.tariff1! + t.electricity.imported.tariff2! + t.electricity.exported.tariff1! + t.electricity.exported.tariff2!;
      expect(total).toBeGreaterThanOrEqual(previous);
      previous = total;
    }
  });

  it('encrypts with --key, and decrypt gives back the telegrams', async () => {
    const key = '000102030405060708090A0B0C0D0E0F';
    const encrypted = await run(['simulate', '--profile', 'lu', '--count', '2', '--interval', '0', '--key', key]);
    expect(encrypted.stdout.charCodeAt(0)).toBe(0xdb);
    const decrypted = await run(['decrypt', '--key', key], Buffer.from(encrypted.stdout, 'latin1'));
    expect(decrypted.stdout.match(/\/Lux5/g)).toHaveLength(2);
    expect(decrypted.stderr).toContain('2 telegrams decrypted, 0 failed');
    const parsed = await run(['parse', '--key', key], Buffer.from(encrypted.stdout, 'latin1'));
    expect(parsed.stdout.trim().split('\n').map((l) => JSON.parse(l).profile)).toEqual(['lu', 'lu']);
  });
});

describe('dsmr-p1 decrypt', () => {
  it('decrypts hex input with keys, and reports a wrong key', async () => {
    const file = `${CAPTURES_DIR}44-sagemcom-t210dr-at-encrypted-authkey-bb.txt`;
    const ok = await run(['decrypt', '--hex', '--key', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '--auth-key', 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', file]);
    expect(ok.stdout.startsWith('/EST5\\253710000_A')).toBe(true);
    expect(parseTelegram(Buffer.from(ok.stdout, 'latin1')).checksum).toEqual({ expected: 0x7ef9, actual: 0x7ef9 });
    const wrong = await run(['decrypt', '--hex', '--key', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', file]);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toContain(`${file}: byte 0: DECRYPTION`);
    expect((await run(['decrypt'])).stderr).toContain('--key is required');
  });

  it('says what is wrong with a directory, a key that is not hex, and counts offsets per file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsmr-p1-'));
    for (const command of ['decrypt', 'parse']) {
      const result = await run([command, '--key', '000102030405060708090A0B0C0D0E0F', dir]);
      expect(result.code, command).toBe(2);
      expect(result.stderr, command).toContain(`cannot read ${dir}: it is a directory`);
    }
    const notHex = await run(['decrypt', '--key', `Z${'0'.repeat(31)}`], '');
    expect(notHex.code).toBe(2);
    expect(notHex.stderr).toContain('character 1 is "Z"');
    const key = '000102030405060708090A0B0C0D0E0F';
    const frames = Buffer.from((await run(['simulate', '--profile', 'lu', '--count', '1', '--interval', '0', '--key', key])).stdout, 'latin1');
    const a = join(dir, 'a.bin');
    const b = join(dir, 'b.bin');
    writeFileSync(a, Buffer.concat([Buffer.from('noise'), frames]));
    writeFileSync(b, frames.subarray(0, 100));
    const result = await run(['decrypt', '--key', key, a, b]);
    expect(result.stdout.match(/\/Lux5/g)).toHaveLength(1);
    expect(result.stderr).toContain(`${b}: byte 0: TRUNCATED`);
  });

  it('refuses --auth-key without --key in every command that decrypts, instead of ignoring it', async () => {
    for (const command of [['parse'], ['watch', '-'], ['decrypt'], ['simulate', '--count', '1', '--interval', '0']]) {
      const result = await run([...command, '--auth-key', 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'], APPENDIX_A1);
      expect(result.code, command[0]).toBe(2);
      expect(result.stderr, command[0]).toContain('--auth-key needs --key');
      expect(result.stdout, command[0]).toBe('');
    }
  });
});

describe('dsmr-p1 watch', () => {
  const two = new MeterSimulator({ seed: 5, start: new Date('2024-03-15T13:30:00Z') });
  const input = two.next() + two.next();

  it('shows the readings of each telegram (a block per telegram when not on a terminal)', async () => {
    const result = await run(['watch', '-'], input);
    expect(result.code).toBe(0);
    const blocks = result.stdout.split('dsmr-p1 watch  -').slice(1);
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toContain('waiting for the first telegram');
    expect(blocks[2]).toContain('Tariff          2 (normal)');
    expect(blocks[2]).toMatch(/Power +\d+\.\d{3} kW imported/);
    expect(blocks[2]).toMatch(/Gas \(ch 1\) +\d+\.\d{3} m3/);
    expect(blocks[2]).toContain('Telegrams       2 ok, 0 invalid');
  });

  it('shows a DLMS meter the same way, named by its type and list', async () => {
    const han = new MeterSimulator({ profile: 'no-aidon', seed: 3, start: new Date('2024-03-15T13:30:00Z') });
    const result = await run(['watch', '-'], Buffer.from(han.nextBytes()));
    const view = result.stdout.split('dsmr-p1 watch  -').at(-1)!;
    expect(view).toContain('Meter           6525 AIDON_V0001  DLMS, HDLC');
    expect(view).toMatch(/Power +0\.400 kW imported/);
    expect(view).toMatch(/L1 +\d{3}\.\d V/);
    expect(view).toContain('Telegrams       1 ok, 0 invalid');
  });

  it('shows the Belgian capacity-tariff demand and the import over both tariffs, marked as summed', async () => {
    const be = new MeterSimulator({ profile: 'be', seed: 2, start: new Date('2024-03-15T13:30:00Z') });
    const result = await run(['watch', '-'], be.next());
    const view = result.stdout.split('dsmr-p1 watch  -').at(-1)!;
    const t = parseTelegram(be.next());
    expect(t.electricity.demand.current).not.toBeNull();
    expect(view).toMatch(/Demand \(15 min\) +\d+\.\d{3} kW now {3}month peak \d+\.\d{3} kW at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d/);
    expect(view).toMatch(/Imported +\d+\.\d{3} kWh \(T1\+T2\) {3}\d+\.\d{3} kWh \(T1\)/);
  });

  it('redraws in place on a terminal, with the cursor hidden meanwhile', async () => {
    const result = await run(['watch', '-'], input, { tty: true });
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('\x1b[?25l')).toBe(true);
    expect(result.stdout.endsWith('\x1b[?25h')).toBe(true);
    const frames = result.stdout.split('\x1b[H\x1b[J').slice(1);
    expect(frames).toHaveLength(3);
    expect(frames[0]).toContain('waiting for the first telegram');
    expect(frames[2]).toContain('Telegrams       2 ok, 0 invalid');
  });

  it('writes NDJSON with --json and reports invalid telegrams on stderr', async () => {
    const result = await run(['watch', '--json', '-'], input.replace('ISk5', 'ISk6'));
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).profile).toBe('nl');
    expect(result.stderr).toContain('CRC_MISMATCH at byte 0');
  });

  it('needs one source, and says so', async () => {
    expect((await run(['watch'])).stderr).toContain('give one source');
    expect((await run(['watch', 'tcp://nowhere'])).stderr).toContain('tcp://HOST:PORT');
  });

  it('says what is wrong with a TCP port out of range or a reconnect delay of 0, in CLI terms', async () => {
    const port = await run(['watch', 'tcp://127.0.0.1:99999']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('the port of tcp://127.0.0.1:99999 must be 1 to 65535');
    expect(port.stderr).not.toContain('openP1Socket');
    const delay = await run(['watch', '--reconnect-delay', '0', 'tcp://127.0.0.1:2001']);
    expect(delay.code).toBe(2);
    expect(delay.stderr).toContain('--reconnect-delay must be more than 0');
  });
});

describe('dsmr-p1 with a setup that does not fit the input', () => {
  const key = '000102030405060708090A0B0C0D0E0F';
  const encrypted = async () => Buffer.from((await run(['simulate', '--profile', 'lu', '--count', '2', '--interval', '0', '--key', key])).stdout, 'latin1');

  it('encrypted input without --key: parse and watch say so once, naming --key, and exit 1', async () => {
    const frames = await encrypted();
    for (const command of [['parse'], ['watch', '--json', '-']]) {
      const result = await run(command, frames);
      expect(result.code, command[0]).toBe(1);
      expect(result.stderr.match(/ENCRYPTED_NO_KEY/g), command[0]).toHaveLength(1);
      expect(result.stderr, command[0]).toContain('--key');
    }
  });

  it('a wrong key, or --key on plain telegrams: exit 1 from parse, watch and decrypt', async () => {
    const frames = await encrypted();
    const wrong = 'FFEEDDCCBBAA99887766554433221100';
    for (const [command, input, code] of [
      [['parse', '--key', wrong], frames, 'DECRYPTION'],
      [['watch', '--json', '--key', wrong, '-'], frames, 'DECRYPTION'],
      [['decrypt', '--key', wrong], frames, 'DECRYPTION'],
      [['parse', '--key', key], APPENDIX_A1, 'UNENCRYPTED_TELEGRAM'],
      [['decrypt', '--key', key], APPENDIX_A1, 'UNENCRYPTED_TELEGRAM'],
    ] as const) {
      const result = await run([...command], input);
      expect(result.code, command.join(' ')).toBe(1);
      expect(result.stderr, command.join(' ')).toContain(code);
    }
    // the right key still exits 0
    expect((await run(['decrypt', '--key', key], frames)).code).toBe(0);
  });

  it('parse waiting on a terminal says it reads stdin', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const err: Buffer[] = [];
    stderr.on('data', (c: Buffer) => err.push(c));
    const stdin = Object.assign(Readable.from([Buffer.from(APPENDIX_A1)]), { isTTY: true });
    stdout.resume();
    expect(await main(['parse', '--quiet'], { stdin, stdout, stderr, env: {} })).toBe(0);
    expect(Buffer.concat(err).toString()).toContain('reading telegrams from stdin');
    expect((await run(['parse', '--quiet'], APPENDIX_A1)).stderr).toBe('');
  });

  it('watch HOST:PORT without tcp:// says to write tcp://', async () => {
    const result = await run(['watch', '192.168.1.50:2001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('write tcp://192.168.1.50:2001');
  });

  it('watch of a serial device that does not exist suggests /dev/serial/by-id', async () => {
    const result = await run(['watch', '/dev/ttyUSB-dsmr-p1-test-none']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/dev/serial/by-id/');
  });
});

describe('dsmr-p1 usage', () => {
  it('--version prints the package version', async () => {
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
    const result = await run(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('a mistyped option gets "did you mean", exit 2', async () => {
    const result = await run(['parse', '--formt', 'json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown option --formt (did you mean --format?)');
    expect((await run(['watch', '--zzzzzz', '-'])).stderr).toMatch(/unknown option --zzzzzz\n/);
  });

  it.each(['parse', 'watch', 'simulate', 'decrypt'])('%s --help: option descriptions in one column', async (command) => {
    const { stdout } = await run([command, '--help']);
    const options = stdout.slice(stdout.indexOf('Options:\n') + 9).split('\n\n')[0]!.split('\n');
    const columns = new Set(options.map((line) => (line.startsWith('  -') ? /^ {2}-\S*(?: \S+)* {2,}/.exec(line)![0].length : /^ +/.exec(line)![0].length)));
    expect(options.length).toBeGreaterThan(2);
    expect([...columns]).toHaveLength(1);
  });
});

describe('dsmr-p1 parse --fields and CSV', () => {
  const meter = new MeterSimulator({ profile: 'be', seed: 4, start: new Date('2024-03-15T13:30:00Z') });
  const input = meter.next() + meter.next();
  const telegrams = [parseTelegram(input.slice(0, input.indexOf('/', 1))), parseTelegram(input.slice(input.indexOf('/', 1)))];

  it('--format csv: a header and a row a telegram with the charted readings, values exact', async () => {
    const result = await run(['parse', '--format', 'csv'], input);
    const [header, ...rows] = result.stdout.trimEnd().split('\r\n');
    expect(header).toBe('timestamp,equipmentId,electricity.tariff,electricity.imported.allTariffs,electricity.exported.allTariffs,electricity.power.imported,electricity.power.exported,gas.value');
    expect(rows).toHaveLength(2);
    const t = telegrams[1]!;
    expect(rows[1]!.split(',')).toEqual(
      [t.timestamp!.toISOString(), t.equipmentId, t.electricity.tariff, t.electricity.imported.allTariffs, t.electricity.exported.allTariffs, t.electricity.power.imported, t.electricity.power.exported, t.gas?.value].map((v) => (v === null || v === undefined ? '' : String(v))),
    );
  });

  it('--fields picks paths (list items by index, null when absent) in ndjson, json, csv and watch --json', async () => {
    const fields = 'timestamp,electricity.phases.0.voltage,electricity.phases.2.current,electricity.demand.monthPeak.value';
    const ndjson = (await run(['parse', '--fields', fields], input)).stdout.trim().split('\n').map((line) => JSON.parse(line));
    const t = telegrams[0]!;
    expect(ndjson[0]).toEqual({
      timestamp: t.timestamp!.toISOString(),
      'electricity.phases.0.voltage': t.electricity.phases[0]!.voltage,
      'electricity.phases.2.current': t.electricity.phases[2]?.current ?? null,
      'electricity.demand.monthPeak.value': t.electricity.demand.monthPeak!.value,
    });
    expect(JSON.parse((await run(['parse', '--format', 'json', '--fields', fields], input)).stdout)).toEqual(ndjson);
    expect((await run(['parse', '--format', 'csv', '--fields', 'header.raw,electricity.tariff'], input)).stdout.split('\r\n')[1]).toBe(`${t.header.raw},${t.electricity.tariff}`);
    const watched = (await run(['watch', '--json', '--fields', fields, '-'], input)).stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(watched).toEqual(ndjson);
  });

  it('quotes CSV cells that need it', async () => {
    const text = '/TST5\\2A,"B"\r\n\r\n1-0:1.7.0(00.100*kW)\r\n!';
    const { crc16 } = await import('../src/index.js');
    const telegram = `${text}${crc16(Buffer.from(text, 'latin1')).toString(16).toUpperCase().padStart(4, '0')}\r\n`;
    const result = await run(['parse', '--format', 'csv', '--fields', 'header.raw,electricity.power.imported'], telegram);
    expect(result.stdout.split('\r\n')[1]).toBe('"/TST5\\2A,""B""",0.1');
  });

  it('says what is wrong with a field that does not exist, is not a value, or goes with the table', async () => {
    const unknown = await run(['parse', '--fields', 'electricity.powr'], input);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('a telegram has no electricity.powr');
    expect((await run(['parse', '--fields', 'electricity.power'], input)).stderr).toContain('electricity.power is not a single value; name one of its fields (imported, exported)');
    expect((await run(['parse', '--format', 'table', '--fields', 'timestamp'], input)).stderr).toContain('--fields works with --format ndjson, json or csv');
    expect((await run(['parse', '--fields', 'a,,b'], input)).stderr).toContain('--fields takes dotted paths');
    expect((await run(['watch', '--fields', 'timestamp', '-'], input)).stderr).toContain('--fields goes with --json');
  });
});

describe('dsmr-p1 watch of a file', () => {
  it('reads a file of logged telegrams to its end', async () => {
    const meter = new MeterSimulator({ seed: 8, start: new Date('2024-03-15T13:30:00Z') });
    const file = join(mkdtempSync(join(tmpdir(), 'dsmr-p1-')), 'p1.log');
    writeFileSync(file, meter.next() + meter.next() + meter.next());
    const result = await run(['watch', '--json', file]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(3);
  });
});

describe('dsmr-p1 watch --fields on a live link', () => {
  it('a path the telegram does not have ends the command with exit 2, from a TCP bridge too', async () => {
    const { createServer } = await import('node:net');
    const meter = new MeterSimulator({ seed: 12 });
    const server = createServer((socket) => socket.end(meter.next() + meter.next()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const result = await run(['watch', '--json', '--fields', 'electricity.powr', `tcp://127.0.0.1:${port}`]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('a telegram has no electricity.powr');
      expect(result.stdout).toBe('');
    } finally {
      server.close();
    }
  });
});
