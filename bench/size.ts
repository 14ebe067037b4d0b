/**
 * Bundle size of `dsmr-p1/web` as a browser app pays for it: the built package (`dist/`, so run
 * `npm run build` first; `npm run size` does) bundled by esbuild for the browser, minified, gzipped.
 *
 *   npm run size            a table
 *   npm run size -- --json  the same as JSON
 *
 * Fails (exit code 1) when `crc16` alone costs more than parsimmon and 1 KB: a sign that
 * module-level work stopped being tree-shakable.
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The budget of a Web Serial app (`TelegramDecoderStream` alone), parsimmon included. */
const TARGET_GZIP = 16 * 1024;
/**
 * What importing only `crc16` may cost beyond parsimmon (which stays: the shared chunk imports
 * it, and its UMD build does not say it is free of side effects). It is about 1.1 KB: the CRC
 * (0.3 KB) and, since it checks its arguments, the `DsmrError` class and the checks. A module
 * whose work at load time stops being tree-shakable adds more than the margin left.
 */
const CRC16_ALONE_GZIP = 1536;

const CASES: readonly { name: string; source: string }[] = [
  { name: 'dsmr-p1/web, everything', source: `export * from 'dsmr-p1/web';` },
  { name: 'TelegramDecoderStream (a Web Serial app)', source: `export { TelegramDecoderStream } from 'dsmr-p1/web';` },
  { name: 'parseTelegram', source: `export { parseTelegram } from 'dsmr-p1/web';` },
  { name: 'parseDlms', source: `export { parseDlms } from 'dsmr-p1/web';` },
  { name: 'crc16', source: `export { crc16 } from 'dsmr-p1/web';` },
  { name: 'parsimmon alone (its UMD build)', source: `export { default } from 'parsimmon';` },
];

interface Size {
  name: string;
  minified: number;
  gzip: number;
}

/** Strings only the DLMS list code holds: an app that reads DSMR must not carry them. */
const DLMS_MARKERS = ['Kamstrup_V0001', 'KFM_001', 'general-block-transfer'];

async function measure(name: string, source: string): Promise<Size & { code: string }> {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    // what the page loads when it starts: code behind an import() (the decryption code, loaded
    // when a stream decrypts) is a chunk of its own that an app without encryption never fetches
    plugins: [{ name: 'lazy-chunks-apart', setup: (b) => b.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined)) }],
  });
  const code = result.outputFiles[0]!.contents;
  return { name, minified: code.length, gzip: gzipSync(code, { level: 9 }).length, code: new TextDecoder().decode(code) };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
  if (!existsSync(`${ROOT}dist/web.js`)) throw new Error('dist/web.js is missing: run `npm run build` first (or `npm run size`)');
  const measured = [];
  for (const { name, source } of CASES) measured.push(await measure(name, source));
  const sizes: Size[] = measured.map(({ name, minified, gzip }) => ({ name, minified, gzip }));
  // a guard: the DLMS decoder is a chunk of its own, loaded when a stream meets DLMS bytes
  const dsmrApp = measured.find((m) => m.name.startsWith('TelegramDecoderStream'))!;
  const leaked = DLMS_MARKERS.filter((marker) => dsmrApp.code.includes(marker));
  if (leaked.length > 0) {
    console.error(`TelegramDecoderStream bundles DLMS list code (${leaked.join(', ')}): it should load with the first DLMS chunk`);
    process.exitCode = 1;
  }
  if (values.json) {
    console.log(JSON.stringify({ targetGzip: TARGET_GZIP, sizes }, null, 2));
    return;
  }
  console.log('| import | minified | min + gzip |');
  console.log('| --- | ---: | ---: |');
  for (const size of sizes) console.log(`| ${size.name} | ${kb(size.minified)} | ${kb(size.gzip)} |`);
  const app = sizes.find((s) => s.name.startsWith('TelegramDecoderStream'))!;
  const verdict = app.gzip <= TARGET_GZIP ? 'within' : 'over';
  console.log(`\nTelegramDecoderStream alone: ${kb(app.gzip)} min + gzip, ${verdict} the ${kb(TARGET_GZIP)} target.`);
  // a guard, not a report: module-level work that a bundler must keep would pull the whole core in again
  const crc = sizes.find((s) => s.name === 'crc16')!;
  const parsimmon = sizes.find((s) => s.name.startsWith('parsimmon'))!;
  if (crc.gzip > parsimmon.gzip + CRC16_ALONE_GZIP) {
    console.error(`crc16 alone bundles to ${kb(crc.gzip)}: more than parsimmon + ${kb(CRC16_ALONE_GZIP)}; something at module level is not tree-shakable`);
    process.exitCode = 1;
  }
}

await main();
