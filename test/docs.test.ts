import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { obisTable } from '../docs/tools/obis-table.js';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('docs', () => {
  it('docs/obis.md is the table generated from the registry (run npm run docs:obis)', () => {
    expect(read('../docs/obis.md')).toBe(obisTable());
  });

  it('docs/errors.md has a row for every error and warning code', () => {
    // the codes as the two unions in errors.ts spell them (the compiler keeps them, not the runtime)
    const source = read('../src/core/errors.ts');
    const unions = [...source.matchAll(/export type Dsmr(?:Warning|Error)Code =([\s\S]*?');\n/g)].map((m) => m[1]!);
    const codes = unions.flatMap((union) => [...union.matchAll(/\|\s*'([A-Z0-9_]+)'/g)].map((m) => m[1]!));
    expect(codes.length).toBeGreaterThan(30);
    const documented = new Set([...read('../docs/errors.md').matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));
    expect(codes.filter((code) => !documented.has(code))).toEqual([]);
    expect([...documented].filter((code) => !codes.includes(code))).toEqual([]);
  });
});
