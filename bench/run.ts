/**
 * `npm run bench`: the built package against the npm DSMR parsers, side by side in one run
 * (bench/paired.ts), and the targets of the lean-core issue checked at the end. Never part of
 * `npm test` or CI. `--quick` runs less; `--json` writes bench/results.json too.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { crc16 as crcPackage16 } from 'crc';
import { lib } from './built.js';
import { TELEGRAMS, capture, telegramOfLines } from './fixtures.js';
import { MeterSimulator } from '../src/cli/simulator.js';
import { paired } from './paired.js';
import { peers } from './peers.js';

const quick = process.argv.includes('--quick');
const rounds = quick ? 30 : 150;

const fmt = (n: number, digits = 0): string => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const times = (n: number): string => `×${fmt(n, 2)}`;

interface Target {
  target: string;
  measured: string;
  met: boolean;
}
const targets: Target[] = [];
const check = (target: string, measured: string, met: boolean): void => {
  targets.push({ target, measured, met });
};

/** Runs a bench/ script in a fresh process and parses the JSON it prints. */
function child<T>(script: string, args: string[], nodeFlags: string[] = []): T {
  const path = fileURLToPath(new URL(script, import.meta.url));
  return JSON.parse(execFileSync(process.execPath, [...nodeFlags, '--import', 'tsx', path, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 })) as T;
}

const results: Record<string, unknown> = {
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, date: new Date().toISOString() },
};
console.log(`dsmr-p1 benchmarks: the build in dist/, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`);

// ---------------------------------------------------------------------------------------------
console.log(`parseTelegram (CRC checked, full typed telegram) and the npm peers on the same telegram, side by side (${rounds} rounds)`);
const peerList = peers();
const parseRows: Record<string, string>[] = [];
const parseResults: Record<string, Record<string, { perSecond: number; speedup: number } | null>> = {};
for (const t of TELEGRAMS) {
  const text = Buffer.from(t.bytes).toString('latin1');
  const readers = peerList.filter((peer) => {
    try {
      peer.parse(text);
      return true;
    } catch {
      return false; // this peer cannot read this telegram (dsmr-parser needs a CRC)
    }
  });
  const result = await paired(
    [
      { name: 'bytes', run: () => lib.parseTelegram(t.bytes) },
      { name: 'string', run: () => lib.parseTelegram(text) },
      ...readers.map((peer) => ({ name: peer.name, run: () => peer.parse(text) })),
    ],
    { rounds },
  );
  // dsmr-p1 is as fast as the slower of its two inputs
  const slower = result.rate('bytes') < result.rate('string') ? 'bytes' : 'string';
  const row: Record<string, string> = {
    telegram: `${t.kind} (${t.bytes.length} B)`,
    'dsmr-p1 Uint8Array': fmt(result.rate('bytes')),
    'dsmr-p1 string': fmt(result.rate('string')),
  };
  const entry: (typeof parseResults)[string] = {
    'dsmr-p1 bytes': { perSecond: result.rate('bytes'), speedup: 1 },
    'dsmr-p1 string': { perSecond: result.rate('string'), speedup: 1 },
  };
  for (const peer of peerList) {
    if (!readers.includes(peer)) {
      row[peer.name] = 'cannot read';
      entry[peer.name] = null;
      continue;
    }
    const speedup = result.speedup(slower, peer.name);
    row[peer.name] = `${fmt(result.rate(peer.name))} (${times(speedup)})`;
    entry[peer.name] = { perSecond: result.rate(peer.name), speedup };
  }
  parseRows.push(row);
  parseResults[t.kind] = entry;

  const vsDsmrParser = entry['dsmr-parser'];
  if (t.kind === 'DSMR 5.0' && vsDsmrParser) check('parseTelegram DSMR 5, slower input ≥ 2.6× dsmr-parser', times(vsDsmrParser.speedup), vsDsmrParser.speedup >= 2.6);
  if (vsDsmrParser) check(`parseTelegram ${t.kind} ≥ 2× dsmr-parser`, times(vsDsmrParser.speedup), vsDsmrParser.speedup >= 2);
  const behind = readers.filter((peer) => result.speedup(slower, peer.name) <= 1).map((peer) => peer.name);
  const slowest = Math.min(...readers.map((peer) => result.speedup(slower, peer.name)));
  check(`parseTelegram ${t.kind} ahead of every peer`, `${times(slowest)} the closest${behind.length > 0 ? ` (behind ${behind.join(', ')})` : ''}`, behind.length === 0);
}
console.table(parseRows);
console.log(`peers: ${peerList.map((p) => `${p.name}: ${p.does}`).join('; ')}`);
console.log('(×n): dsmr-p1, the slower of its two inputs, is n times as fast; the median of per-round ratios\n');
results.parse = parseResults;

// ---------------------------------------------------------------------------------------------
console.log('allocation per parseTelegram and memory of the Node stream over 10 MB and 100 MB (fresh process)');
const memory = child<{
  rows: Record<string, string>[];
  ten: { peakHeapMB: number };
  hundred: { peakHeapMB: number };
  allocation: { telegramBytes: number; bytesInput: number; stringInput: number };
}>('./memory.ts', [], ['--expose-gc']);
console.table(memory.rows);
const { allocation } = memory;
console.log(`allocated per parse of the ${allocation.telegramBytes}-byte DSMR 5 telegram: ${fmt(allocation.bytesInput)} B from a Uint8Array, ${fmt(allocation.stringInput)} B from a string\n`);
const allocated = Math.max(allocation.bytesInput, allocation.stringInput);
check('≤ 25 KB allocated per parse (either input)', `${fmt(allocated / 1000, 1)} KB`, allocated <= 25_000);
check('stream memory flat from 10 MB to 100 MB', `${fmt(memory.ten.peakHeapMB, 1)} / ${fmt(memory.hundred.peakHeapMB, 1)} MB heap`, memory.hundred.peakHeapMB <= memory.ten.peakHeapMB * 1.5 + 1);
results.memory = memory;

// ---------------------------------------------------------------------------------------------
const streamMB = quick ? 5 : 20;
console.log(`streams end to end (framing, CRC, parse) on ${streamMB} MB of simulated DSMR 5 telegrams in 64 KiB chunks, next to parseTelegram on each of them (fresh process)`);
const streams = child<{ bytes: number; telegrams: number; parseMBps: number; nodeMBps: number; webMBps: number; nodeOverhead: number; webOverhead: number }>('./stream.ts', [
  'overhead',
  String(streamMB),
  quick ? '5' : '11',
]);
const perTelegram = streams.bytes / streams.telegrams;
console.table([
  { what: 'parseTelegram on each telegram', 'MB/s': fmt(streams.parseMBps, 1), 'telegrams/s': fmt((streams.parseMBps * 1e6) / perTelegram), 'stream overhead': '' },
  { what: 'Node createTelegramStream', 'MB/s': fmt(streams.nodeMBps, 1), 'telegrams/s': fmt((streams.nodeMBps * 1e6) / perTelegram), 'stream overhead': `${fmt(streams.nodeOverhead * 100)} %` },
  { what: 'Web TelegramDecoderStream', 'MB/s': fmt(streams.webMBps, 1), 'telegrams/s': fmt((streams.webMBps * 1e6) / perTelegram), 'stream overhead': `${fmt(streams.webOverhead * 100)} %` },
]);
check('createTelegramStream ≥ 70 MB/s', `${fmt(streams.nodeMBps, 1)} MB/s`, streams.nodeMBps >= 70);
check('stream overhead ≤ 20 % of the parse cost', `${fmt(streams.nodeOverhead * 100)} %`, streams.nodeOverhead <= 0.2);
results.streams = streams;

// ---------------------------------------------------------------------------------------------
console.log('\ncrc16 (CRC-16/ARC) and the crc package on 32 MiB, side by side');
const mib32 = new Uint8Array(32 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);
const mib32Buffer = Buffer.from(mib32.buffer, mib32.byteOffset, mib32.length);
if (lib.crc16(mib32) !== crcPackage16(mib32Buffer)) throw new Error('crc16 and the crc package disagree');
const crc = await paired(
  [
    { name: 'dsmr-p1', run: () => lib.crc16(mib32) },
    { name: 'crc', run: () => crcPackage16(mib32Buffer) },
  ],
  { rounds: quick ? 5 : 15, sliceMs: 0, warmup: 2 },
);
const crcSpeedup = crc.speedup('dsmr-p1', 'crc');
console.log(`dsmr-p1 ${fmt((crc.rate('dsmr-p1') * mib32.length) / 1e9, 2)} GB/s, crc ${fmt((crc.rate('crc') * mib32.length) / 1e9, 2)} GB/s: ${times(crcSpeedup)}`);
check('crc16 ≥ 3.8× the crc package on 32 MB', times(crcSpeedup), crcSpeedup >= 3.8);
results.crc = { dsmrP1GBps: (crc.rate('dsmr-p1') * mib32.length) / 1e9, crcGBps: (crc.rate('crc') * mib32.length) / 1e9, speedup: crcSpeedup };

// ---------------------------------------------------------------------------------------------
console.log('\nlinear: a telegram of 10 and of 500 lines, side by side; the Node stream over 5 MB and 50 MB (fresh process)');
const ten = telegramOfLines(10, lib.crc16);
const fiveHundred = telegramOfLines(500, lib.crc16);
const lines = await paired(
  [
    { name: '10', run: () => lib.parseTelegram(ten) },
    { name: '500', run: () => lib.parseTelegram(fiveHundred) },
  ],
  { rounds },
);
// time per line at 500 over time per line at 10: 1 when linear, below 1 as the fixed cost spreads
const linesRatio = lines.speedup('10', '500') / 50;
const megabytes = child<{ smallMBps: number; largeMBps: number; ratio: number }>('./stream.ts', ['linear', quick ? '2' : '4']);
console.table([
  { input: '10 → 500 lines (parseTelegram)', small: `${fmt(lines.rate('10') * 10)} lines/s`, large: `${fmt(lines.rate('500') * 500)} lines/s`, 'cost per unit, large / small': fmt(linesRatio, 2) },
  { input: '5 → 50 MB (Node stream)', small: `${fmt(megabytes.smallMBps, 1)} MB/s`, large: `${fmt(megabytes.largeMBps, 1)} MB/s`, 'cost per unit, large / small': fmt(megabytes.ratio, 2) },
]);
check('linear from 10 to 500 lines (cost per line ratio ≤ 1.2)', fmt(linesRatio, 2), linesRatio <= 1.2);
check('linear from 5 to 50 MB (cost per byte ratio ≤ 1.2)', fmt(megabytes.ratio, 2), megabytes.ratio <= 1.2);
results.linear = { lines: linesRatio, megabytes };

// ---------------------------------------------------------------------------------------------
console.log('\npathological inputs: cost per byte at 1 KB … 4 MB (linear: the ratio stays near 1; quadratic: about 4,000; fresh process)');
const pathological = child<{ pattern: string; nsPerByte: number[]; ratio: number }[]>('./scaling.ts', ['--json', ...(quick ? ['--quick'] : [])]);
console.table(pathological.map((r) => ({ pattern: r.pattern, 'ns/B': r.nsPerByte.map((n) => fmt(n, 1)).join(' → '), ratio: fmt(r.ratio, 2) })));
results.pathological = pathological;

// ---------------------------------------------------------------------------------------------
console.log('\nDLMS/COSEM: parseDlms on a simulated Norwegian list 3 of each maker (one HDLC frame), next to parseTelegram on DSMR 5, side by side');
const dsmr5 = TELEGRAMS.find((t) => t.kind === 'DSMR 5.0')!.bytes;
const hanFrames = (['no-aidon', 'no-kaifa', 'no-kamstrup'] as const).map((profile) => ({ profile, bytes: new MeterSimulator({ profile, seed: 1, start: new Date('2024-01-01T00:00:00Z') }).nextBytes() }));
const dlms = await paired(
  [{ name: 'DSMR 5 parseTelegram', run: () => lib.parseTelegram(dsmr5) }, ...hanFrames.map(({ profile, bytes }) => ({ name: profile, run: () => lib.parseDlms(bytes) }))],
  { rounds },
);
// a stream of 20,000 of them, decoded end to end (framing, FCS, list, typed view)
const hanStream = Buffer.concat(Array.from({ length: 20_000 }, (_, i) => Buffer.from(hanFrames[i % 3]!.bytes)));
const streamRun = async (): Promise<number> => {
  const decoder = lib.createDecoder({ protocol: 'dlms' });
  let count = 0;
  for (let at = 0; at < hanStream.length; at += 65_536) count += (await decoder.push(hanStream.subarray(at, at + 65_536))).length;
  return count + (await decoder.flush()).length;
};
if ((await streamRun()) !== 20_000) throw new Error('the DLMS stream lost frames');
const dlmsStream = await paired([{ name: 'stream', run: streamRun }], { rounds: quick ? 3 : 8, sliceMs: 0, warmup: 1 });
console.table([
  { what: 'DSMR 5 telegram, parseTelegram', bytes: dsmr5.length, 'per second': fmt(dlms.rate('DSMR 5 parseTelegram')) },
  ...hanFrames.map(({ profile, bytes }) => ({ what: `${profile} list 3, parseDlms`, bytes: bytes.length, 'per second': fmt(dlms.rate(profile)) })),
  { what: 'HAN frames of all three, Node-free decoder stream', bytes: hanStream.length, 'per second': `${fmt(dlmsStream.rate('stream') * 20_000)} frames` },
]);
results.dlms = {
  dsmr5PerSecond: dlms.rate('DSMR 5 parseTelegram'),
  parseDlmsPerSecond: Object.fromEntries(hanFrames.map(({ profile }) => [profile, dlms.rate(profile)])),
  streamFramesPerSecond: dlmsStream.rate('stream') * 20_000,
};

// ---------------------------------------------------------------------------------------------
console.log('\ndecryptTelegram (an encrypted frame, WebCrypto AES-128-GCM) + parseTelegram');
const frame = Buffer.from(Buffer.from(capture('44-sagemcom-t210dr-at-encrypted-authkey-bb.txt')).toString('latin1').trim(), 'hex');
const keys = { key: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', authenticationKey: 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' };
const decrypt = await paired([{ name: 'decrypt', run: async () => lib.parseTelegram(await lib.decryptTelegram(frame, keys)) }], { rounds: quick ? 10 : 40, sliceMs: 10, warmup: 200 });
console.log(`${fmt(decrypt.rate('decrypt'))} frames/s`);
results.decrypt = decrypt.rate('decrypt');

// ---------------------------------------------------------------------------------------------
console.log('\nbundle size of dsmr-p1/web (esbuild for the browser, minified, gzip -9)');
const size = child<{ sizes: { name: string; minified: number; gzip: number }[] }>('./size.ts', ['--json']);
console.table(size.sizes.map((s) => ({ import: s.name, minified: `${fmt(s.minified / 1024, 1)} KB`, 'min + gzip': `${fmt(s.gzip / 1024, 1)} KB` })));
const decoderStream = size.sizes.find((s) => s.name.startsWith('TelegramDecoderStream'))!;
check('TelegramDecoderStream alone ≤ 16 KB min + gzip', `${fmt(decoderStream.gzip / 1024, 1)} KB`, decoderStream.gzip <= 16 * 1024);
results.size = size.sizes;

// ---------------------------------------------------------------------------------------------
console.log('\ntargets');
console.table(targets.map((t) => ({ target: t.target, measured: t.measured, met: t.met ? 'yes' : 'NO' })));
results.targets = targets;

if (process.argv.includes('--json')) {
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nwrote bench/results.json');
}
