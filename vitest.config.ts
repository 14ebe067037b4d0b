import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig({
  // the CLI's --version, as tsup.config.ts sets it in the build
  define: { __DSMR_P1_VERSION__: JSON.stringify(version) },
  test: {
    // unit tests in *.test.ts, fast-check properties beside them in *.test-prop.ts
    include: ['test/**/*.test.ts', 'test/**/*.test-prop.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
  },
});
