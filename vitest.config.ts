import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // unit tests in *.test.ts, fast-check properties beside them in *.test-prop.ts
    include: ['test/**/*.test.ts', 'test/**/*.test-prop.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
  },
});
