import { join, resolve, sep } from 'node:path';
import { defineConfig, type Options } from 'tsup';

const CLI_SOURCES = join(process.cwd(), 'src', 'cli') + sep;
/** The package's entry points as the CLI's sources import them, and their files in the build. */
const PACKAGE_ENTRIES = new Map([
  [join(process.cwd(), 'src', 'index.js'), './index.js'],
  [join(process.cwd(), 'src', 'serialport.js'), './serialport.js'],
]);

/**
 * The CLI imports the package's entry points (`../index.js`, `../../index.js` from a subfolder):
 * they stay imports of the build beside it, so the command loads the one copy of the core.
 */
const usePackageBuild: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'cli-uses-package-build',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!args.importer.startsWith(CLI_SOURCES)) return undefined;
      const entry = PACKAGE_ENTRIES.get(resolve(args.resolveDir, args.path));
      return entry === undefined ? undefined : { path: entry, external: true };
    });
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
