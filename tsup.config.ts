import { basename, dirname, join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/** The CLI imports the package's entry points (`../index.js`): they stay imports of the build beside it. */
const usePackageBuild: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'cli-uses-package-build',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/(index|serialport)\.js$/ }, (args) =>
      dirname(args.importer) === join(process.cwd(), 'src', 'cli') ? { path: `./${basename(args.path)}`, external: true } : undefined,
    );
  },
};

export default defineConfig([
  {
    // the library: ESM + CJS with .d.ts / .d.cts for every entry point of design.md
    entry: { index: 'src/index.ts', web: 'src/web.ts', serialport: 'src/serialport.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    // no maps: they would point at sources the package does not ship (and triple its size)
    sourcemap: false,
    target: 'es2022',
    splitting: true,
    treeshake: true,
    // import.meta.url in the CJS build of dsmr-p1/serialport (createRequire)
    shims: true,
  },
  {
    // the command line: one ESM file with its shebang, on the package's own build
    entry: { cli: 'src/cli/bin.ts' },
    esbuildPlugins: [usePackageBuild],
    format: ['esm'],
    dts: false,
    sourcemap: false,
    target: 'node20',
    platform: 'node',
  },
]);
