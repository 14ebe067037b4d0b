/**
 * The package as users get it: the benchmarks measure the build in `dist/` (what `npm run bench`
 * builds first), not the TypeScript sources through a loader.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = (entry: string): string => fileURLToPath(new URL(`../dist/${entry}.js`, import.meta.url));

if (!existsSync(dist('index'))) throw new Error('dist/ is missing: run `npm run build` first (`npm run bench` does)');

export const lib = (await import(dist('index'))) as typeof import('../src/index.js');
export const web = (await import(dist('web'))) as typeof import('../src/web.js');
