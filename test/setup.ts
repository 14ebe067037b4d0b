// FC_NUM_RUNS=5000 npx vitest run test/*.test-prop.ts: stress the properties far beyond the default 100 runs.
// Imported only then: fast-check costs every test file's worker a second or more to load.
const runs = Number(process.env.FC_NUM_RUNS);
if (Number.isInteger(runs) && runs > 0) {
  const { fc } = await import('@fast-check/vitest');
  fc.configureGlobal({ numRuns: runs });
}
