/**
 * Bundles `dsmr-p1/web` for the browser with esbuild (platform browser): a `node:` import anywhere
 * in its graph fails the build, which is part of what the browser tests check.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const WEB_ENTRY = fileURLToPath(new URL('../../src/web.ts', import.meta.url));

export interface WebBundle {
  /** The ESM bundle of `dsmr-p1/web`, as a browser would load it. */
  code: string;
  /** The files in it, relative to the project root. */
  inputs: string[];
}

export async function bundleWeb(): Promise<WebBundle> {
  const result = await build({
    entryPoints: [WEB_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: fileURLToPath(new URL('../..', import.meta.url)),
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild wrote no bundle');
  return { code: output.text, inputs: Object.keys(result.metafile.inputs) };
}
