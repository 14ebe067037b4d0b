/**
 * The package as users get it: `npm pack`, installed into an empty project, used from ESM and CJS
 * through every entry point, and its `dsmr-p1` binary; and the same scenario in Node, Deno and Bun.
 * Deno and Bun are not devDependencies (200 MB a contributor does not need): they are taken from
 * DENO_PATH / BUN_PATH or the PATH, and `.ci/run` installs them from npm. Needs `dist/` (`npm test`
 * builds first).
 */
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTelegram } from '../../src/index.js';
import { CAPTURES, CAPTURES_DIR, captureBytes } from '../helpers/captures.js';
import { concat } from '../helpers/streams.js';
import { APPENDIX_A1, latin1 } from '../helpers/telegram.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const built = existsSync(join(ROOT, 'dist', 'index.js')) && existsSync(join(ROOT, 'dist', 'cli.js'));
if (!built) console.warn('[package tests skipped] dist/ is missing: run `npm run build` (npm test does)');

const CAPTURE = '20-iskra-mt382-dsmr50-ndokter.txt';

/** A runtime's binary: from `variable`, else the first on the PATH; null when there is none. */
function findBinary(variable: string, name: string): string | null {
  const given = process.env[variable];
  if (given !== undefined && given !== '') return given;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const file of process.platform === 'win32' ? [`${name}.exe`, `${name}.cmd`] : [name]) if (existsSync(join(dir, file))) return join(dir, file);
  }
  return null;
}

/** The other runtimes: how to run a script with read access to its directory only. */
const RUNTIMES = [
  { name: 'Deno', variable: 'DENO_PATH', bin: findBinary('DENO_PATH', 'deno'), args: ['run', '--allow-read=.'], install: 'deno@2.9.5' },
  { name: 'Bun', variable: 'BUN_PATH', bin: findBinary('BUN_PATH', 'bun'), args: [], install: 'bun@1.4.5' },
].map((runtime) => ({
  ...runtime,
  skip:
    runtime.bin !== null && existsSync(runtime.bin)
      ? null
      : `no ${runtime.name} on the PATH nor in ${runtime.variable}; to run them: npm install --prefix /tmp/runtimes ${runtime.install} and ${runtime.variable}=/tmp/runtimes/node_modules/.bin/${runtime.name.toLowerCase()} (.ci/run does)`,
}));
for (const { name, skip } of RUNTIMES) if (skip !== null && built) console.warn(`[${name} tests skipped] ${skip}`);

describe.skipIf(!built)('the packed package', () => {
  let project = '';
  let files: string[] = [];

  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), 'dsmr-p1-consumer-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', project], { cwd: ROOT });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    files = packed!.files.map((f) => f.path);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(project, packed!.filename)], { cwd: project });
    copyFileSync(join(CAPTURES_DIR, CAPTURE), join(project, 'telegram.txt'));
    writeScenarioInputs(project);
  }, 120_000);

  afterAll(() => {
    if (project !== '') rmSync(project, { recursive: true, force: true });
  });

  const node = async (file: string, source: string): Promise<string> => {
    writeFileSync(join(project, file), source);
    const { stdout } = await run(process.execPath, [file], { cwd: project });
    return stdout.trim();
  };

  it('ships dist, the readme, the licence and the package.json only', () => {
    const outside = files.filter((path) => !path.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(path));
    expect(outside).toEqual([]);
    for (const entry of ['index', 'web', 'serialport']) {
      for (const extension of ['.js', '.cjs', '.d.ts', '.d.cts']) expect(files).toContain(`dist/${entry}${extension}`);
    }
    expect(files).toContain('dist/cli.js');
  });

  it('works from ESM through every entry point, with one DsmrError class and one TelegramDecoderStream', async () => {
    const output = await node(
      'esm.mjs',
      `import { readFileSync } from 'node:fs';
       import { parseTelegram, DsmrError, TelegramDecoderStream as NodeEntryDecoderStream } from 'dsmr-p1';
       import { TelegramDecoderStream, safeParseTelegram } from 'dsmr-p1/web';
       const bytes = readFileSync('telegram.txt');
       const telegram = parseTelegram(bytes);
       const bad = safeParseTelegram('garbage');
       let decoded = 0;
       const decoder = new TelegramDecoderStream();
       const source = new ReadableStream({ start(c) { c.enqueue(bytes); c.close(); } });
       for await (const t of source.pipeThrough(decoder)) decoded++;
       let serialport;
       try { await import('dsmr-p1/serialport'); serialport = 'loaded'; } catch (error) { serialport = error.message; }
       const sameStream = NodeEntryDecoderStream === TelegramDecoderStream;
       console.log(JSON.stringify({ power: telegram.electricity.power.imported, sameClass: bad.error instanceof DsmrError, sameStream, decoded, serialport }));`,
    );
    const result = JSON.parse(output);
    expect(result).toMatchObject({ power: expect.any(Number), sameClass: true, sameStream: true, decoded: 1 });
    // serialport is an optional peer dependency, not installed here: the entry says what to do
    expect(result.serialport).toContain('npm install serialport');
  });

  it('works from CommonJS through every entry point', async () => {
    const output = await node(
      'cjs.cjs',
      `const { readFileSync } = require('node:fs');
       const { parseTelegram, DsmrError } = require('dsmr-p1');
       const { safeParseTelegram } = require('dsmr-p1/web');
       const telegram = parseTelegram(readFileSync('telegram.txt'));
       let serialport;
       try { require('dsmr-p1/serialport'); serialport = 'loaded'; } catch (error) { serialport = error.message; }
       console.log(JSON.stringify({ power: telegram.electricity.power.imported, sameClass: safeParseTelegram('x').error instanceof DsmrError, serialport }));`,
    );
    const result = JSON.parse(output);
    expect(result).toMatchObject({ power: expect.any(Number), sameClass: true });
    expect(result.serialport).toContain('npm install serialport');
  });

  it('runs its command on the package build: no second copy of the core', () => {
    const cli = readFileSync(join(project, 'node_modules', 'dsmr-p1', 'dist', 'cli.js'), 'utf8');
    // every file of the package the command loads, statically or with import()
    const loaded = new Set([...cli.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)"(\.[^"]+)"/g)].map((m) => m[1]));
    expect([...loaded].sort()).toEqual(['./index.js', './serialport.js']);
  });

  it('installs the dsmr-p1 command', async () => {
    const { stdout } = await run(join(project, 'node_modules', '.bin', 'dsmr-p1'), ['parse', 'telegram.txt'], { cwd: project });
    const telegram = JSON.parse(stdout.trim());
    expect(telegram.header.raw.startsWith('/')).toBe(true);
    expect(typeof telegram.electricity.power.imported).toBe('number');
    const version = await run(join(project, 'node_modules', '.bin', 'dsmr-p1'), ['--version'], { cwd: project });
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`);
  });

  it('serves the dashboard and says how to get mqtt, from the installed command (npx dsmr-p1 …)', async () => {
    const bin = join(project, 'node_modules', '.bin', 'dsmr-p1');
    const mqttRun = await run(bin, ['mqtt', '--broker', 'mqtt://127.0.0.1:1', 'telegram.txt'], { cwd: project }).catch((error: { code: number; stderr: string }) => error);
    expect(mqttRun).toMatchObject({ code: 2, stderr: expect.stringContaining('npm install mqtt') });

    const serve = spawn(bin, ['serve', '--port', '0', 'telegram.txt'], { cwd: project });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        serve.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(stderr);
          if (match) resolve(match[0]);
        });
        serve.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
      });
      const expected = parseTelegram(captureBytes(CAPTURE));
      await expect
        .poll(async () => ((await (await fetch(`${url}api/state`)).json()) as { reading: { power: { imported: number } } | null }).reading?.power.imported)
        .toBe(expected.electricity.power.imported);
      expect(await (await fetch(url)).text()).toContain('EventSource');
    } finally {
      serve.kill('SIGTERM');
    }
  });

  describe('in Node, Deno and Bun alike', () => {
    /** What Node prints: the other runtimes must print the same. */
    let fromNode: ScenarioResult | undefined;

    beforeAll(async () => {
      copyFileSync(SCENARIO, join(project, 'runtime-scenario.mjs'));
      fromNode = JSON.parse((await run(process.execPath, ['runtime-scenario.mjs'], { cwd: project })).stdout) as ScenarioResult;
    }, 60_000);

    it('decodes, rejects and decrypts in Node as the scenario expects', () => {
      const result = fromNode!;
      expect(result.crc).toBe(0xbb3d);
      for (const decoded of [result.web, result.node, result.iterator]) {
        expect(decoded.telegrams.map((t) => t.header.raw)).toEqual(SCENARIO_HEADERS);
        expect(decoded.errors.map((e) => [e.code, e.isDsmrError])).toEqual([['CRC_MISMATCH', true]]);
      }
      expect(parseTelegram(result.formatted).electricity.imported.tariff1).toBe(1.234);
      expect(result.rejected).toMatchObject({ code: 'CRC_MISMATCH', line: 4, column: 2, isDsmrError: true });
      expect(result.decrypted.header.raw).toBe(`/${ENCRYPTED.meter_header}`);
      expect(result.decryptingStream.telegrams).toHaveLength(2);
      expect(result.decryptingStream.errors.map((e) => e.code)).toEqual(['DECRYPTION']);
      expect(result.wrongKey).toMatchObject({ code: 'DECRYPTION', isDsmrError: true });
    });

    for (const runtime of RUNTIMES) {
      it.skipIf(runtime.skip !== null)(`gives the same results in ${runtime.name}`, async () => {
        const env = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1' };
        const { stdout } = await run(runtime.bin!, [...runtime.args, 'runtime-scenario.mjs'], { cwd: project, env });
        expect(fromNode).toBeDefined();
        expect(JSON.parse(stdout)).toEqual(fromNode);
      }, 60_000);
    }
  });
});

const SCENARIO = fileURLToPath(new URL('runtime-scenario.mjs', import.meta.url));
const SCENARIO_CAPTURES = ['03-iskra-mt382-1003-dsmr22.txt', CAPTURE, '29-fluvius-flu5-emucs171.txt', '34-smarty-lux-values-without-units.txt'];
const SCENARIO_HEADERS = SCENARIO_CAPTURES.map((file) => CAPTURES.find((c) => c.file === file)!.meter_header).map((h) => `/${h}`);
const ENCRYPTED = CAPTURES.find((c) => c.encrypted && c.crc_valid !== false)!;

interface ScenarioDecoded {
  telegrams: { header: { raw: string } }[];
  errors: { code: string; isDsmrError: boolean }[];
}

interface ScenarioResult {
  crc: number;
  web: ScenarioDecoded;
  node: ScenarioDecoded;
  iterator: ScenarioDecoded;
  formatted: string;
  rejected: unknown;
  decrypted: { header: { raw: string } };
  decryptingStream: ScenarioDecoded;
  wrongKey: unknown;
}

/** The inputs of runtime-scenario.mjs: telegrams with a damaged one and garbage; encrypted frames, one with a changed tag. */
function writeScenarioInputs(project: string): void {
  const telegrams = SCENARIO_CAPTURES.map((file) => captureBytes(file));
  telegrams.splice(2, 0, latin1(APPENDIX_A1.replace('231.4', '231.5')), latin1('garbage between telegrams\r\n'));
  writeFileSync(join(project, 'stream.bin'), concat(telegrams));
  const frame = Buffer.from(Buffer.from(captureBytes(ENCRYPTED.file)).toString('latin1').trim(), 'hex');
  const tampered = Uint8Array.from(frame);
  tampered[tampered.length - 1]! ^= 0x01;
  writeFileSync(join(project, 'encrypted.bin'), frame);
  writeFileSync(join(project, 'encrypted-stream.bin'), concat([frame, tampered, frame]));
  writeFileSync(join(project, 'keys.json'), JSON.stringify({ key: ENCRYPTED.key, authenticationKey: ENCRYPTED.aad }));
}
