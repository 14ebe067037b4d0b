/**
 * The streaming issue's acceptance scenario: 50 MB of telegrams with ~4% corrupted, truncated and
 * garbage items. No good telegram may be lost, every bad one must be reported where it started.
 * `npm test` runs 10 MB (the same mix, some 300 bad items) to stay fast; CI runs the 50 MB
 * (`STREAM_TEST_MB=50`, set by .ci/run).
 */
import { describe, expect, it } from 'vitest';
import { formatTelegram, type Telegram } from '../src/index.js';
import { concat, decodeWith, type Transport } from './helpers/streams.js';
import { APPENDIX_A1_LINES, latin1 } from './helpers/telegram.js';

/** A deterministic PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Telegram number `n`: the appendix A.1 telegram with `n` in its power failure counter. */
function telegram(n: number): Uint8Array {
  const objects = APPENDIX_A1_LINES.map((line) => {
    const obis = line.slice(0, line.indexOf('('));
    const values = [...line.slice(obis.length).matchAll(/\(([^)]*)\)/g)].map((m) => {
      const [raw, unit] = m[1]!.split('*');
      return { raw: raw!, unit: unit ?? null };
    });
    return obis === '0-0:96.7.21' ? { obis, values: [{ raw: String(n).padStart(8, '0') }] } : { obis, values };
  });
  return latin1(formatTelegram({ header: 'XYZ5\\2EXAMPLE-0001', objects }));
}

interface Stream {
  bytes: Uint8Array;
  good: number[];
  badOffsets: number[];
}

function buildStream(targetBytes: number, random: () => number): Stream {
  const parts: Uint8Array[] = [];
  const good: number[] = [];
  const badOffsets: number[] = [];
  let size = 0;
  for (let n = 0; size < targetBytes; n++) {
    const bytes = telegram(n);
    const dice = random();
    let part = bytes;
    if (dice < 0.015) {
      // corrupted: one byte of the data changed (never the "/" or the CRC line)
      part = bytes.slice();
      const bang = part.lastIndexOf(0x21);
      const at = 1 + Math.floor(random() * (bang - 1));
      part[at] = part[at]! ^ (1 + Math.floor(random() * 255));
      badOffsets.push(size);
    } else if (dice < 0.03) {
      // truncated: cut anywhere, the next telegram follows directly
      part = bytes.subarray(0, 5 + Math.floor(random() * (bytes.length - 12)));
      badOffsets.push(size);
    } else if (dice < 0.04) {
      // garbage: random bytes without "/", then the telegram
      const garbage = Uint8Array.from({ length: 1 + Math.floor(random() * 200) }, () => {
        const b = Math.floor(random() * 256);
        return b === 0x2f ? 0x20 : b;
      });
      parts.push(garbage);
      size += garbage.length;
      good.push(n);
    } else {
      good.push(n);
    }
    parts.push(part);
    size += part.length;
  }
  return { bytes: concat(parts), good, badOffsets };
}

const megabytes = Number(process.env.STREAM_TEST_MB ?? 10);

describe(`a ${megabytes} MB stream with ~4% bad items`, () => {
  const stream = buildStream(megabytes * 1024 * 1024, prng(2024));

  it.each(['node', 'web'] as Transport[])('%s: loses no good telegram and reports every bad one', async (transport) => {
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < stream.bytes.length; at += 64 * 1024) chunks.push(stream.bytes.subarray(at, at + 64 * 1024));
    const { telegrams, errors } = await decodeWith(transport, chunks);
    const numbers = telegrams.map((t: Telegram) => t.electricity.powerFailures.count);
    expect(numbers).toEqual(stream.good);
    const reported = new Set(errors.map((e) => e.frameOffset));
    const unreported = stream.badOffsets.filter((offset) => !reported.has(offset));
    expect(unreported).toEqual([]);
    expect(stream.badOffsets.length).toBeGreaterThan(megabytes * 25);
  });
});
