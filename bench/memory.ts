/**
 * Memory of the Node stream over 10 MB and 100 MB (peak heap and RSS must not grow with the
 * input), and bytes allocated per parseTelegram. Run by bench/run.ts with --expose-gc; prints JSON.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { getHeapSpaceStatistics } from 'node:v8';
import { lib } from './built.js';
import { capture, chunks, telegramStream } from './fixtures.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

/** Streams `totalMB` of telegrams (a 10 MB block repeated) and samples memory at every chunk. */
async function streamPeak(block: readonly Uint8Array[], blockBytes: number, totalMB: number) {
  gc!();
  const baseHeap = process.memoryUsage().heapUsed;
  let peakHeap = 0;
  let peakRss = 0;
  const repeats = Math.round((totalMB * 1024 * 1024) / blockBytes);
  let sent = 0;
  let telegrams = 0;
  const total = repeats * block.length;
  const source = new Readable({
    read() {
      const usage = process.memoryUsage();
      peakHeap = Math.max(peakHeap, usage.heapUsed - baseHeap);
      peakRss = Math.max(peakRss, usage.rss);
      if (sent === total) this.push(null);
      else {
        const c = block[sent % block.length]!;
        sent++;
        this.push(Buffer.from(c.buffer, c.byteOffset, c.length));
      }
    },
  });
  const stream = lib.createTelegramStream();
  stream.on('data', () => telegrams++);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
    source.pipe(stream);
  });
  return { telegrams, peakHeapMB: peakHeap / 1048576, peakRssMB: peakRss / 1048576 };
}

/**
 * Bytes allocated per parse: between two collections, new-space usage only grows by what is
 * allocated, garbage included. Parse a batch small enough that no scavenge runs in between
 * (checked with a GC observer) and divide.
 */
async function bytesPerParse(telegram: string | Uint8Array): Promise<number> {
  for (let i = 0; i < 20_000; i++) lib.parseTelegram(telegram); // optimise first
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
  const estimates: number[] = [];
  for (let batch = 50; estimates.length < 5 && batch >= 5; ) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
    collections = 0;
    const before = newSpace();
    for (let i = 0; i < batch; i++) lib.parseTelegram(telegram);
    const after = newSpace();
    await new Promise((resolve) => setImmediate(resolve)); // let the observer report
    if (collections <= 1 && after > before) estimates.push((after - before) / batch);
    else batch = Math.floor(batch / 2);
  }
  observer.disconnect();
  estimates.sort((a, b) => a - b);
  return estimates[Math.floor(estimates.length / 2)] ?? NaN;
}

const { data } = telegramStream(10 * 1024 * 1024, 3);
const block = chunks(data);
const ten = await streamPeak(block, data.length, 10);
const hundred = await streamPeak(block, data.length, 100);
const telegram = capture('20-iskra-mt382-dsmr50-ndokter.txt');
const allocation = { bytes: await bytesPerParse(telegram), string: await bytesPerParse(Buffer.from(telegram).toString('latin1')) };
const rows = [
  { input: '10 MB', telegrams: String(ten.telegrams), 'peak heap growth MB': ten.peakHeapMB.toFixed(1), 'peak RSS MB': ten.peakRssMB.toFixed(0) },
  { input: '100 MB', telegrams: String(hundred.telegrams), 'peak heap growth MB': hundred.peakHeapMB.toFixed(1), 'peak RSS MB': hundred.peakRssMB.toFixed(0) },
];
process.stdout.write(
  JSON.stringify({
    rows,
    ten,
    hundred,
    allocation: { telegramBytes: telegram.length, bytesInput: Math.round(allocation.bytes), stringInput: Math.round(allocation.string) },
  }),
);
