import { fc } from '@fast-check/vitest';

// FC_NUM_RUNS=5000 npx vitest run test/*.test-prop.ts: stress the properties far beyond the default 100 runs
const runs = Number(process.env.FC_NUM_RUNS);
if (Number.isInteger(runs) && runs > 0) fc.configureGlobal({ numRuns: runs });
