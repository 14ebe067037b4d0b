import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // the library: ESM + CJS with .d.ts / .d.cts for every entry point of design.md
    entry: { index: 'src/index.ts', web: 'src/web.ts', serialport: 'src/serialport.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    splitting: true,
    treeshake: true,
    // import.meta.url in the CJS build of dsmr-p1/serialport (createRequire)
    shims: true,
  },
  {
    // the command line: one ESM file with its shebang
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
]);
