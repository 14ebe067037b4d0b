import { defineConfig } from 'vitest/config';

// `npm run check:corpus`: the by-hand check against a corpus outside the repo (DSMR_CORPUS)
export default defineConfig({
  test: {
    include: ['test/corpus/*.check.ts'],
    setupFiles: ['test/setup.ts'],
  },
});
