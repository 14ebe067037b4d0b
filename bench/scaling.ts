/**
 * Linear cost on pathological inputs: each pattern at 1 KB, 16 KB, 256 KB and 4 MB, through
 * `parseTelegram` (one telegram of that size) or a decoder (a stream of that size, in 4 KiB
 * chunks). Prints the cost per byte at each size and the ratio of the largest to the smallest:
 * linear work stays near 1 (noise and caches move it by a factor of 2 or 3 at most), quadratic
 * work gives about 4,000. Run by bench/run.ts, or alone: `tsx bench/scaling.ts [--quick] [--only NAME]`.
 */
import type { DecoderOptions } from '../src/index.js';
import { lib } from './built.js';

const { createDecoder, crc16, parseTelegram, safeParseTelegram } = lib;

const SIZES = [1024, 16 * 1024, 256 * 1024, 4 * 1024 * 1024];

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** A telegram of about `size` bytes: header, the lines (repeated to fill), a correct CRC. */
function telegram(size: number, line: string, { crc = true, first = '' } = {}): Uint8Array {
  const head = `/ABC5\\2SCALING\r\n\r\n${first}`;
  const count = Math.max(1, Math.floor((size - head.length - 8) / line.length));
  const body = `${head}${line.repeat(count)}!`;
  const end = crc ? crc16(ascii(body)).toString(16).toUpperCase().padStart(4, '0') : '';
  return ascii(`${body}${end}\r\n`);
}

/** `size` bytes of a repeated unit. */
function fill(size: number, unit: Uint8Array): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += unit.length) out.set(unit.subarray(0, Math.min(unit.length, size - i)), i);
  return out;
}

interface Pattern {
  name: string;
  /** `parse`: one telegram of the size; `stream`: a byte stream of the size */
  through: 'parse' | 'stream';
  make: (size: number) => Uint8Array;
  options?: DecoderOptions;
}

const KEY = '000102030405060708090A0B0C0D0E0F';

export const PATTERNS: Pattern[] = [
  { name: 'data lines', through: 'parse', make: (n) => telegram(n, '1-0:1.8.1(000001.000*kWh)\r\n') },
  { name: 'value lines after 24.3.0', through: 'parse', make: (n) => telegram(n, '(00001.001)\r\n', { crc: false, first: '0-1:24.3.0(090212160000)(00)(60)(1)(0-1:24.2.1)(m3)\r\n' }) },
  { name: 'stray value lines (a warning each)', through: 'parse', make: (n) => telegram(n, '(1)\r\n', { first: '1-0:1.8.1(000001.000*kWh)\r\n' }) },
  { name: 'one hex text message', through: 'parse', make: (n) => telegram(n, '41', { first: '0-0:96.13.0(' }).map((b, i, a) => (i === a.length - 9 ? 0x29 : b)) },
  { name: 'groups on one line', through: 'parse', make: (n) => telegram(n, '(240110083015W)(0000000240*s)', { first: '1-0:99.97.0(0)(0-0:96.7.19)' }) },
  { name: 'wrapped value lines', through: 'parse', make: (n) => telegram(n, '4142\r\n', { first: '0-0:96.13.0(41\r\n' }) },
  { name: '"/" in values (framer candidates)', through: 'stream', make: (n) => fill(n, ascii('/ABC5 cut off\r\n0-0:96.13.0(' + 'a/'.repeat(200))) },
  { name: 'headers without end line', through: 'stream', make: (n) => fill(n, ascii('/KFM5\r\n')) },
  { name: '"!" without CRC', through: 'stream', make: (n) => fill(n, ascii('/KFM5\r\n\r\n!\r\n')) },
  { name: '0xAF (7E1 detector)', through: 'stream', make: (n) => new Uint8Array(n).fill(0xaf) },
  { name: '0xAF + header letters (7E1 detector)', through: 'stream', make: (n) => fill(n, Uint8Array.of(0xaf, 0x41, 0x42, 0x44, 0x30, 0x41, 0x41)) },
  // every 18 bytes a header claiming 512 bytes: each is checked (one AES block) as a frame may hide behind it
  { name: 'encrypted: lying length fields', through: 'stream', make: (n) => fill(n, Uint8Array.of(0xdb, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x82, 0x02, 0x00, 0x30, 0, 0, 0, 1)), options: { decryption: { key: KEY } } },
];

/** Seconds per run: the best of a few runs of enough repetitions to take ~30 ms. */
async function time(run: () => unknown | Promise<unknown>): Promise<number> {
  let repetitions = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < repetitions; i++) await run();
    const elapsed = performance.now() - start;
    if (elapsed >= 30 || repetitions >= 1 << 16) break;
    repetitions *= 4;
  }
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = performance.now();
    for (let i = 0; i < repetitions; i++) await run();
    best = Math.min(best, (performance.now() - start) / repetitions);
  }
  return best / 1000;
}

async function through(pattern: Pattern, bytes: Uint8Array): Promise<void> {
  if (pattern.through === 'parse') {
    const result = safeParseTelegram(bytes, { verifyCrc: false });
    if (!result.ok && result.error.code === 'INVALID_INPUT') throw result.error;
    return;
  }
  const decoder = createDecoder(pattern.options ?? {});
  for (let at = 0; at < bytes.length; at += 4096) await decoder.push(bytes.subarray(at, at + 4096));
  await decoder.flush();
}

export interface ScalingRow {
  pattern: string;
  nsPerByte: number[];
  ratio: number;
}

export async function scaling(sizes = SIZES, only = ''): Promise<ScalingRow[]> {
  const rows: ScalingRow[] = [];
  parseTelegram(telegram(1024, '1-0:1.8.1(000001.000*kWh)\r\n')); // warm up
  for (const pattern of PATTERNS) {
    if (!pattern.name.includes(only)) continue;
    const nsPerByte: number[] = [];
    for (const size of sizes) {
      const bytes = pattern.make(size);
      nsPerByte.push(((await time(() => through(pattern, bytes))) * 1e9) / bytes.length);
    }
    rows.push({ pattern: `${pattern.name} (${pattern.through})`, nsPerByte, ratio: nsPerByte.at(-1)! / nsPerByte[0]! });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.includes('--quick') ? SIZES.slice(0, 3) : SIZES;
  const only = process.argv.indexOf('--only');
  const rows = await scaling(sizes, only < 0 ? '' : process.argv[only + 1]);
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(rows));
  else {
    console.table(
      rows.map((r) => ({
        pattern: r.pattern,
        ...Object.fromEntries(sizes.map((s, i) => [`ns/B at ${s >= 1 << 20 ? `${s >> 20} MB` : `${s >> 10} KB`}`, r.nsPerByte[i]!.toFixed(1)])),
        [`ratio ${sizes.at(-1)! >> 10} KB / 1 KB`]: r.ratio.toFixed(2),
      })),
    );
  }
}
