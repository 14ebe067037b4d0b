/**
 * Every ```ts sample in the README and docs/ is type-checked against the sources and run (each in
 * its own Node process, with the fake meters of test/samples), unless the doc marks it otherwise
 * with a reason (see test/samples/extract.ts). Docs that drift from the API fail here. The samples
 * are bundled with the sources by esbuild in one call, so each runs in plain Node (a TypeScript
 * loader per process would cost a second each).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentationFiles, sampleModule, samplesOf, type Sample } from './samples/extract.js';
import * as prelude from './samples/prelude.js';
import { STREAM } from './samples/meter.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Under node_modules so that the samples resolve `serialport` and friends as users' code would. */
const OUT = join(ROOT, 'node_modules', '.cache', 'dsmr-p1-samples');
const TO_ROOT = '../../..';
const PRELUDE_NAMES = Object.keys(prelude).filter((name) => name !== 'SAMPLE_KEY');

const samples: Sample[] = documentationFiles(ROOT).flatMap((file) => samplesOf(ROOT, file));
const checked = samples.filter((s) => s.check !== 'skip');
const moduleName = (sample: Sample): string => sample.name.replace(/[/#.]/g, '-');
const moduleFile = (sample: Sample): string => join(OUT, `${moduleName(sample)}.mts`);
/** The sample bundled with what it imports from the project (packages stay imports). */
const bundleFile = (sample: Sample): string => join(OUT, 'run', `${moduleName(sample)}.mjs`);
const runnable = samples.filter((s) => s.check === 'run');

/** Each bundled file keeps its own `import.meta.url`, which test helpers find their files by. */
const ownUrls: Plugin = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.m?ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};
const headerLines = new Map<Sample, number>();

beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  for (const sample of checked) {
    const module = sampleModule(sample, TO_ROOT, PRELUDE_NAMES);
    headerLines.set(sample, module.headerLines);
    writeFileSync(moduleFile(sample), module.code);
  }
  await build({
    entryPoints: Object.fromEntries(runnable.map((sample) => [moduleName(sample), moduleFile(sample)])),
    outdir: join(OUT, 'run'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [ownUrls],
    // package.json says "sideEffects": false for users' bundles; the prelude's side effects count here
    ignoreAnnotations: true,
    logLevel: 'silent',
  });
});

describe('documentation samples', () => {
  it('are found, and every one not run says why', () => {
    expect(samples.length).toBeGreaterThan(20);
    for (const sample of samples) if (sample.check !== 'run') expect(sample.reason, sample.name).toMatch(/\w/);
  });

  it('type-check against the sources (strict, as users compile)', () => {
    const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    // a sample may show a value without using it
    const program = ts.createProgram(checked.map(moduleFile), { ...options, noUnusedLocals: false, noUnusedParameters: false, noEmit: true });
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      const sample = checked.find((s) => diagnostic.file?.fileName === moduleFile(s).replaceAll('\\', '/'));
      if (sample === undefined || diagnostic.file === undefined || diagnostic.start === undefined) return `${diagnostic.file?.fileName ?? '?'}: ${text}`;
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      return `${sample.file}:${sample.line + line - (headerLines.get(sample) ?? 0)}: ${text}`;
    });
    expect(problems).toEqual([]);
  }, 120_000);
});

describe.concurrent('documentation samples run', () => {
  let cwd = '';
  beforeAll(() => {
    // the working directory of a sample: the log files the samples read
    cwd = mkdtempSync(join(tmpdir(), 'dsmr-p1-samples-'));
    for (const name of ['p1.log', 'p1-capture.log']) writeFileSync(join(cwd, name), STREAM);
  });
  afterAll(() => {
    if (cwd !== '') rmSync(cwd, { recursive: true, force: true });
  });

  for (const sample of runnable) {
    it(`${sample.name} (line ${sample.line})`, async () => {
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [bundleFile(sample)],
          { cwd, timeout: 30_000, env: { ...process.env, P1_KEY: prelude.SAMPLE_KEY } },
          (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
        );
      });
      const report = `${sample.file}:${sample.line}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
      expect(result.code, report).toBe(0);
      expect(result.stdout, report).toContain('[sample done]');
      // a sample that prints must have printed something of its own
      if (sample.code.includes('console.log')) expect(result.stdout.replace('[sample done]', '').trim(), report).not.toBe('');
    });
  }
});
