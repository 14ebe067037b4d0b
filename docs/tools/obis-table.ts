/**
 * Writes docs/obis.md from the OBIS registry, so the table cannot drift from the code:
 * `npm run docs:obis`. test/docs.test.ts fails when the file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { OBIS_REGISTRY, type ObisEntry } from '../../src/index.js';

const KIND: Record<ObisEntry['kind'], string> = {
  text: 'text',
  hex: 'hex text',
  timestamp: 'timestamp',
  quantity: 'number',
  number: 'number',
  integer: 'integer',
  threshold: 'number + unit',
  failureLog: 'failure log',
  mbusReading: 'reading',
  legacyReading: 'reading (2 lines)',
  demandPeak: 'peak',
  peakHistory: 'peak list',
  quantityPair: 'number pair',
  raw: '—',
};

export function obisTable(): string {
  const rows = OBIS_REGISTRY.map((e) => {
    const field = e.field === null ? '(kept in `objects` only)' : `\`${e.field}\``;
    const profiles = e.profiles === undefined ? 'all' : e.profiles.join(', ');
    return `| \`${e.obis}\` | ${field} | ${KIND[e.kind]} | ${e.unit ?? ''} | ${profiles} | ${e.description} |`;
  });
  return `# OBIS codes

Generated from the OBIS registry (\`OBIS_REGISTRY\`, src/core/model/registry.ts) by
\`npm run docs:obis\`; do not edit by hand.

Every data line of a telegram is in \`telegram.objects\`, whatever its code. The codes below also
fill a typed field. \`n\` is a channel 1..4: an M-Bus device (a relay in Luxembourg). A unit is the
fixed unit of the typed field: a meter that sends W, Wh, var, varh or VA is converted. "Profiles"
says in which country profiles a code is read this way ([profiles](profiles.md)).

| OBIS | field | reads as | unit | profiles | meaning |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(new URL('../obis.md', import.meta.url), obisTable());
  console.log('wrote docs/obis.md');
}
