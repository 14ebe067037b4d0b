/**
 * `npm run bench`: throughput of parseTelegram and crc16 (the benchmarks issue extends this with
 * streams, memory and npm peers). Never part of `npm test`.
 */
import { readFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { crc16, parseTelegram } from '../src/index.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../test/fixtures/captures/${name}`, import.meta.url)));
const dsmr5 = fixture('20-iskra-mt382-dsmr50-ndokter.txt');
const kib = dsmr5.subarray(0, 1024);
const big = new Uint8Array(32 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);

const bench = new Bench({ time: 1000, warmupTime: 300 });
bench
  .add(`parseTelegram DSMR 5 (${dsmr5.length} B)`, () => parseTelegram(dsmr5))
  .add('crc16 1 KiB', () => crc16(kib));
const slow = new Bench({ time: 3000, warmupTime: 300 });
slow.add('crc16 32 MiB', () => crc16(big));

await bench.run();
await slow.run();

const rows = [...bench.tasks, ...slow.tasks].map((task) => {
  const result = task.result;
  if (result === undefined || !('latency' in result)) return { task: task.name, 'ops/s': 'n/a' };
  const perSecond = result.throughput.mean;
  const bytes = task.name.includes('32 MiB') ? big.length : task.name.includes('1 KiB') ? kib.length : dsmr5.length;
  return {
    task: task.name,
    'ops/s': Math.round(perSecond).toLocaleString('en'),
    'MB/s': ((perSecond * bytes) / 1e6).toFixed(1),
    'median µs': (result.latency.p50 * 1000).toFixed(2),
  };
});
console.table(rows);
