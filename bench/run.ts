/**
 * `npm run bench`: dsmr-p1 against the npm DSMR parsers, side by side in one run. Never part of
 * `npm test` or CI. Prints tables; `--json` writes bench/results.json too. `--quick` runs less.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { crc16 as crcPackage16 } from 'crc';
import { crc16, decryptTelegram, parseTelegram } from '../src/index.js';
import { TELEGRAMS } from './fixtures.js';
import { peers } from './peers.js';

const quick = process.argv.includes('--quick');
const time = quick ? 300 : 1500;

const fmt = (n: number, digits = 0): string => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function opsPerSecond(name: string, run: () => unknown, ms = time): Promise<number> {
  const bench = new Bench({ time: ms, warmupTime: Math.min(500, ms) });
  bench.add(name, run);
  await bench.run();
  const result = bench.tasks[0]!.result;
  if (result === undefined || !('throughput' in result)) throw new Error(`${name} failed: ${JSON.stringify(result)}`);
  return result.throughput.p50 ?? result.throughput.mean;
}

const results: Record<string, unknown> = {
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, date: new Date().toISOString() },
};

// ---------------------------------------------------------------------------------------------
console.log(`dsmr-p1 benchmarks — ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`);

console.log('parseTelegram (CRC checked, full typed telegram) vs npm peers, telegrams/s (median)');
const peerList = peers();
const parseRows: Record<string, string>[] = [];
const parseResults: Record<string, Record<string, number | null>> = {};
for (const t of TELEGRAMS) {
  const text = Buffer.from(t.bytes).toString('latin1');
  const ours = await opsPerSecond(`dsmr-p1 ${t.kind}`, () => parseTelegram(t.bytes));
  const row: Record<string, string> = { telegram: `${t.kind} (${t.bytes.length} B)`, 'dsmr-p1': fmt(ours) };
  parseResults[t.kind] = { 'dsmr-p1': ours };
  for (const peer of peerList) {
    let rate: number | null = null;
    try {
      peer.parse(text);
      rate = await opsPerSecond(`${peer.name} ${t.kind}`, () => peer.parse(text));
    } catch {
      rate = null; // this peer cannot read this telegram (e.g. no CRC for dsmr-parser)
    }
    parseResults[t.kind]![peer.name] = rate;
    row[peer.name] = rate === null ? 'cannot read' : `${fmt(rate)} (×${fmt(ours / rate, 1)})`;
  }
  parseRows.push(row);
}
console.table(parseRows);
console.log(`peers: ${peerList.map((p) => `${p.name}: ${p.does}`).join('; ')}; (×n) = dsmr-p1 is n times faster\n`);
results.parse = parseResults;

// ---------------------------------------------------------------------------------------------
console.log('crc16 (CRC-16/ARC): dsmr-p1 slicing-by-8 vs the crc package');
const kib = new Uint8Array(1024).map((_, i) => (i * 2654435761) >>> 24);
const mib32 = new Uint8Array(32 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);
const crcBuffer1k = Buffer.from(kib);
const crcBuffer32m = Buffer.from(mib32);
const crcRows = [];
const crcResults: Record<string, number> = {};
for (const [label, bytes, buffer] of [
  ['1 KiB', kib, crcBuffer1k],
  ['32 MiB', mib32, crcBuffer32m],
] as const) {
  const ms = label === '32 MiB' ? Math.max(time, 2000) : time;
  const ours = (await opsPerSecond(`crc16 ${label}`, () => crc16(bytes), ms)) * bytes.length;
  const theirs = (await opsPerSecond(`crc ${label}`, () => crcPackage16(buffer), ms)) * bytes.length;
  crcResults[`dsmr-p1 ${label}`] = ours;
  crcResults[`crc ${label}`] = theirs;
  crcRows.push({ input: label, 'dsmr-p1 GB/s': fmt(ours / 1e9, 2), 'crc GB/s': fmt(theirs / 1e9, 2), ratio: `×${fmt(ours / theirs, 1)}` });
}
console.table(crcRows);
results.crc = crcResults;

// ---------------------------------------------------------------------------------------------
const streamMB = quick ? 10 : 50;
console.log(`\nstreams end to end (framing + CRC + parse) on ${streamMB} MB of DSMR 5 telegrams in 64 KiB chunks (each in its own process)`);

/** Runs bench/stream.ts in a fresh process: median seconds over rounds. */
function streamRun(kind: 'node' | 'web', megabytes: number): { bytes: number; telegrams: number; seconds: number } {
  const script = fileURLToPath(new URL('./stream.ts', import.meta.url));
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', script, kind, String(megabytes), quick ? '2' : '5'], { encoding: 'utf8' }));
}

const streamRows = [];
const streamResults: Record<string, { mbPerSecond: number; telegramsPerSecond: number }> = {};
for (const [name, kind] of [
  ['Node createTelegramStream', 'node'],
  ['Web TelegramDecoderStream', 'web'],
] as const) {
  const { bytes, telegrams, seconds } = streamRun(kind, streamMB);
  const mbPerSecond = bytes / 1e6 / seconds;
  streamResults[name] = { mbPerSecond, telegramsPerSecond: telegrams / seconds };
  streamRows.push({ stream: name, 'MB/s': fmt(mbPerSecond, 1), 'telegrams/s': fmt(telegrams / seconds), 'bytes per telegram': fmt(bytes / telegrams) });
}
console.table(streamRows);
results.streams = streamResults;

// ---------------------------------------------------------------------------------------------
console.log('\nscaling: N and 2N telegrams through the Node stream, interleaved in one process (linear work: ratio 2)');
const scaling = JSON.parse(
  execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./stream.ts', import.meta.url)), 'scaling', quick ? '5' : '20', quick ? '3' : '7'], {
    encoding: 'utf8',
  }),
) as { telegrams: number; seconds: number; secondsDouble: number; ratio: number };
console.table([{ N: scaling.telegrams, 'best time N (s)': fmt(scaling.seconds, 3), 'best time 2N (s)': fmt(scaling.secondsDouble, 3), ratio: fmt(scaling.ratio, 2) }]);
results.scaling = scaling;

// ---------------------------------------------------------------------------------------------
console.log('\nscaling on pathological inputs: cost per byte at 1 KB … 4 MB (linear: the ratio stays near 1; quadratic: about 4,000)');
const pathological = JSON.parse(
  execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./scaling.ts', import.meta.url)), '--json', ...(quick ? ['--quick'] : [])], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  }),
) as { pattern: string; nsPerByte: number[]; ratio: number }[];
console.table(pathological.map((r) => ({ pattern: r.pattern, 'ns/B': r.nsPerByte.map((n) => fmt(n, 1)).join(' → '), ratio: fmt(r.ratio, 2) })));
results.pathological = pathological;

// ---------------------------------------------------------------------------------------------
console.log('\nmemory of the Node stream over 10 MB and 100 MB, and allocations per parsed telegram (child process)');
const memory = JSON.parse(
  execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./memory.ts', import.meta.url))], { encoding: 'utf8' }),
) as { rows: Record<string, string>[]; allocation: { bytesPerTelegram: number; objectsNote: string } };
console.table(memory.rows);
console.log(`allocated per parseTelegram (DSMR 5, 890 B): ${fmt(memory.allocation.bytesPerTelegram)} bytes (${memory.allocation.objectsNote})`);
results.memory = memory;

// ---------------------------------------------------------------------------------------------
console.log('\ndecryptTelegram (Smarty frame, WebCrypto AES-128-GCM) + parseTelegram');
const frame = Buffer.from(
  Buffer.from(
    (await import('node:fs')).readFileSync(new URL('../test/fixtures/captures/44-sagemcom-t210dr-at-encrypted-authkey-bb.txt', import.meta.url)),
  )
    .toString('latin1')
    .trim(),
  'hex',
);
const keys = { key: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', authenticationKey: 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' };
const decryptBench = new Bench({ time, warmupTime: 300 });
decryptBench.add('decrypt+parse', async () => parseTelegram(await decryptTelegram(frame, keys)));
await decryptBench.run();
const decryptResult = decryptBench.tasks[0]!.result as { throughput: { p50?: number; mean: number } };
console.log(`${fmt(decryptResult.throughput.p50 ?? decryptResult.throughput.mean)} frames/s`);
results.decrypt = decryptResult.throughput.p50 ?? decryptResult.throughput.mean;

if (process.argv.includes('--json')) {
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nwrote bench/results.json');
}
