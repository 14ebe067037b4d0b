import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { obisTable } from '../docs/tools/obis-table.js';

describe('docs', () => {
  it('docs/obis.md is the table generated from the registry (run npm run docs:obis)', () => {
    expect(readFileSync(new URL('../docs/obis.md', import.meta.url), 'utf8')).toBe(obisTable());
  });
});
