/**
 * The package as users get it: `npm pack`, installed into an empty project, used from ESM and CJS
 * through every entry point, and its `dsmr-p1` binary. Needs `dist/` (`npm test` builds first).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURES_DIR } from '../helpers/captures.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const built = existsSync(join(ROOT, 'dist', 'index.js')) && existsSync(join(ROOT, 'dist', 'cli.js'));
if (!built) console.warn('[package tests skipped] dist/ is missing: run `npm run build` (npm test does)');

const CAPTURE = '20-iskra-mt382-dsmr50-ndokter.txt';

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

  it('works from ESM through every entry point, with one DsmrError class', async () => {
    const output = await node(
      'esm.mjs',
      `import { readFileSync } from 'node:fs';
       import { parseTelegram, DsmrError } from 'dsmr-p1';
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
       console.log(JSON.stringify({ power: telegram.electricity.power.imported, sameClass: bad.error instanceof DsmrError, decoded, serialport }));`,
    );
    const result = JSON.parse(output);
    expect(result).toMatchObject({ power: expect.any(Number), sameClass: true, decoded: 1 });
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

  it('installs the dsmr-p1 command', async () => {
    const { stdout } = await run(join(project, 'node_modules', '.bin', 'dsmr-p1'), ['parse', 'telegram.txt'], { cwd: project });
    const telegram = JSON.parse(stdout.trim());
    expect(telegram.header.raw.startsWith('/')).toBe(true);
    expect(typeof telegram.electricity.power.imported).toBe('number');
  });
});
