/**
 * The parser's outputs on a few thousand generated and mutated telegrams, recorded as digests
 * before the parser was rewritten for speed (test/fixtures/golden/outputs.json). A rewrite must
 * reproduce every output exactly: telegram, warnings (codes, messages, positions) or error.
 * A difference is either a bug of the rewrite or a fix, named in CHANGELOG; then record again:
 *
 *   UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts
 *
 * On a mismatch the test prints the case and the new output; the old one comes from running this
 * test at the commit that recorded the fixture.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createDecoder, formatTelegram, safeParseTelegram, type DecodedItem, type DsmrError, type ParseOptions, type Telegram } from '../src/index.js';
import { anyTelegramArb, meterArb, meterTelegram, profileCaseArb } from './helpers/arbitraries.js';
import { concat } from './helpers/streams.js';
import { APPENDIX_A1, latin1 } from './helpers/telegram.js';

const FIXTURE = new URL('./fixtures/golden/outputs.json', import.meta.url);
const SEED = 20261126;
const CASES = 3000;

interface GoldenCase {
  input: Uint8Array | string;
  options: ParseOptions;
}

/**
 * A telegram as JSON, without the fields added with DLMS when they hold what every DSMR telegram
 * holds (`protocol: 'dsmr'`, `dlms: null`, `meterType: null`): the recorded outputs stay valid.
 */
function telegramJson(telegram: Telegram): string {
  const { protocol, dlms, meterType, ...rest } = telegram;
  return JSON.stringify(protocol === 'dsmr' && dlms === null && meterType === null ? rest : telegram);
}

/** What a parse gives, as stable JSON: the whole telegram, or every field of the error. */
function canonical(result: { ok: true; telegram: Telegram } | { ok: false; error: DsmrError }): string {
  if (result.ok) return telegramJson(result.telegram);
  const e = result.error;
  return JSON.stringify({ code: e.code, message: e.message, line: e.line, column: e.column, offset: e.offset, expected: e.expected, obis: e.obis, checksum: e.checksum });
}

function canonicalItem(item: DecodedItem): string {
  if (item.telegram !== undefined) return telegramJson(item.telegram);
  return `${canonical({ ok: false, error: item.error })}@${item.error.frameOffset}:${item.error.frame?.length}`;
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64').slice(0, 16);

/** Edits that real lines and attackers make: a changed, removed or inserted byte, a cut, line ends. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('change' as const), at: fc.nat(), delta: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.constantFrom('/', '!', '(', ')', '*', '\r\n', '\n', '\r', '\0', '\xff', '\xaf', '1-0:1.8.1(', '(1)\r\n', '  ') }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('lf' as const) }),
  fc.record({ kind: fc.constant('icrnl' as const) }),
  fc.record({ kind: fc.constant('parity' as const) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  switch (m.kind) {
    case 'change': {
      const out = bytes.slice();
      const i = m.at % out.length;
      out[i] = (out[i]! + m.delta) & 0xff;
      return out;
    }
    case 'remove': {
      const i = m.at % bytes.length;
      return concat([bytes.subarray(0, i), bytes.subarray(i + m.length)]);
    }
    case 'insert': {
      const i = m.at % (bytes.length + 1);
      return concat([bytes.subarray(0, i), latin1(m.bytes), bytes.subarray(i)]);
    }
    case 'cut':
      return bytes.subarray(0, m.at % (bytes.length + 1));
    case 'lf':
      return latin1(text.replaceAll('\r\n', '\n'));
    case 'icrnl':
      return latin1(text.replaceAll('\r', '\n'));
    case 'parity':
      return bytes.map((b) => {
        let ones = 0;
        for (let x = b & 0x7f; x !== 0; x >>= 1) ones += x & 1;
        return ones % 2 === 0 ? b & 0x7f : (b & 0x7f) | 0x80;
      });
  }
}

const telegramArb = fc.oneof(
  anyTelegramArb.map((t) => formatTelegram(t)),
  meterArb.map((m) => formatTelegram(meterTelegram(m))),
  profileCaseArb.map((c) => formatTelegram(c.input)),
  fc.constant(APPENDIX_A1),
);

const caseArb: fc.Arbitrary<GoldenCase> = fc
  .record({
    text: telegramArb,
    mutations: fc.array(mutation, { maxLength: 3 }),
    asString: fc.boolean(),
    mode: fc.constantFrom('lenient' as const, 'strict' as const),
    verifyCrc: fc.boolean(),
    timeZone: fc.constantFrom('Europe/Amsterdam', 'UTC'),
  })
  .map(({ text, mutations, asString, mode, verifyCrc, timeZone }) => {
    let bytes = latin1(text);
    for (const m of mutations) bytes = mutate(bytes, m);
    return { input: asString ? Buffer.from(bytes).toString('latin1') : bytes, options: { mode, verifyCrc, timeZone } };
  });

function cases(): GoldenCase[] {
  return fc.sample(caseArb, { seed: SEED, numRuns: CASES });
}

/** Streams: a few hundred concatenations of the cases, through a decoder in uneven chunks. */
function streams(all: readonly GoldenCase[]): { bytes: Uint8Array; options: ParseOptions }[] {
  const out: { bytes: Uint8Array; options: ParseOptions }[] = [];
  for (let i = 0; i + 5 <= all.length; i += 5) {
    const group = all.slice(i, i + 5).map((c) => (typeof c.input === 'string' ? latin1(c.input) : c.input));
    out.push({ bytes: concat(group), options: all[i]!.options });
  }
  return out;
}

function decodeStream(bytes: Uint8Array, options: ParseOptions): string {
  const decoder = createDecoder(options);
  const items: DecodedItem[] = [];
  for (let at = 0, size = 1; at < bytes.length; at += size, size = (size * 7 + 3) % 997) items.push(...(decoder.push(bytes.subarray(at, at + size)) as DecodedItem[]));
  items.push(...(decoder.flush() as DecodedItem[]));
  return `${items.map(canonicalItem).join('\n')}\n${JSON.stringify(decoder.stats)}`;
}

interface Fixture {
  seed: number;
  parses: string[];
  streams: string[];
}

describe('golden outputs', () => {
  const all = cases();
  const parses = all.map((c) => canonical(safeParseTelegram(c.input, c.options)));
  if (process.env.GOLDEN_STATS === '1') {
    const kinds = new Map<string, number>();
    for (const p of parses) {
      const parsed = JSON.parse(p) as { code?: string; warnings?: { code: string }[] };
      const key = parsed.code ?? (parsed.warnings!.length > 0 ? `ok+${parsed.warnings![0]!.code}` : 'ok');
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
    }
    console.log([...kinds].sort((a, b) => b[1] - a[1]));
  }
  const streamOutputs = streams(all).map((s) => decodeStream(s.bytes, s.options));

  if (process.env.UPDATE_GOLDEN === '1') {
    it('records the outputs', () => {
      const fixture: Fixture = { seed: SEED, parses: parses.map(digest), streams: streamOutputs.map(digest) };
      writeFileSync(FIXTURE, `${JSON.stringify(fixture)}\n`);
    });
    return;
  }

  const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;

  it(`reproduces the ${CASES} parse outputs`, () => {
    expect(fixture.seed).toBe(SEED);
    const differ = parses.map((p, i) => (digest(p) === fixture.parses[i] ? -1 : i)).filter((i) => i >= 0);
    if (differ.length > 0) {
      const i = differ[0]!;
      const c = all[i]!;
      console.log(`case ${i} of ${differ.length} differing (${differ.slice(0, 20).join(', ')}…)\ninput: ${JSON.stringify(typeof c.input === 'string' ? c.input : Buffer.from(c.input).toString('latin1'))}\noptions: ${JSON.stringify(c.options)}\nnow: ${parses[i]}`);
    }
    expect(differ).toEqual([]);
  });

  it('reproduces the stream outputs', () => {
    const differ = streamOutputs.map((s, i) => (digest(s) === fixture.streams[i] ? -1 : i)).filter((i) => i >= 0);
    if (differ.length > 0) console.log(`stream ${differ[0]} differs:\n${streamOutputs[differ[0]!]}`);
    expect(differ).toEqual([]);
  });
});
