import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // unit tests in *.test.ts, fast-check properties beside them in *.test-prop.ts
    include: ['test/**/*.test.ts', 'test/**/*.test-prop.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    // expect.poll waits for a page or a server to catch up; its default second is too short on a
    // loaded two-core machine (a Chromium test once timed out on a decryption chunk still loading)
    expect: { poll: { timeout: 10_000 } },
    // Each test file gets fresh modules. Sharing a worker's modules (isolate: false) ran the suite
    // in 85 s instead of 140 s here, but with the DLMS tests in, about one full run in four failed
    // at import in one worker ("Spread syntax requires ...iterable", "entry.set is not a function"
    // in files run after others); never with each file isolated, never in a single worker. Not
    // seen again in 24 later runs without isolation (8 of them at the commit where it was seen),
    // on a quieter machine. The cause is not found: until it is, the tests must not depend on
    // which files ran before.
    isolate: true,
  },
});
