/**
 * One stream measurement in a fresh process (bench/run.ts runs it per stream), so that one
 * measurement does not pay for the garbage of another. Prints JSON.
 * Usage: stream.ts node|web <megabytes> <rounds>, or stream.ts scaling <megabytes> <rounds>
 * (N and 2N interleaved in one process: the minimum of each is the least noise-affected).
 */
import { Readable } from 'node:stream';
import { createTelegramStream } from '../src/index.js';
import { TelegramDecoderStream } from '../src/web.js';
import { chunks, telegramStream } from './fixtures.js';

const [kind = 'node', megabytes = '50', rounds = '5'] = process.argv.slice(2);
const { data, telegrams } = telegramStream(Number(megabytes) * 1024 * 1024);
let input = chunks(data);

/** Node: a Readable that produces chunks on demand, piped into the Transform. */
async function node(): Promise<number> {
  const stream = createTelegramStream();
  let count = 0;
  stream.on('data', () => count++);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
    Readable.from(input.map((c) => Buffer.from(c.buffer, c.byteOffset, c.length))).pipe(stream);
  });
  return count;
}

/** Web: a pull-based ReadableStream piped through the TransformStream, read with for await. */
async function web(): Promise<number> {
  let next = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < input.length) controller.enqueue(input[next++]!);
      else controller.close();
    },
  });
  let count = 0;
  for await (const _ of source.pipeThrough(new TelegramDecoderStream())) count++;
  return count;
}

if (kind === 'scaling') {
  const single = chunks(data);
  const doubled = new Uint8Array(data.length * 2);
  doubled.set(data);
  doubled.set(data, data.length);
  const twice = chunks(doubled);
  const best = { once: Infinity, twice: Infinity };
  for (let r = 0; r < Number(rounds) + 1; r++) {
    for (const which of ['once', 'twice'] as const) {
      input = which === 'once' ? single : twice;
      const start = performance.now();
      const count = await node();
      const elapsed = (performance.now() - start) / 1000;
      if (count !== (which === 'once' ? telegrams : 2 * telegrams)) throw new Error(`scaling: ${count} telegrams`);
      if (r > 0) best[which] = Math.min(best[which], elapsed); // round 0 warms up
    }
  }
  process.stdout.write(JSON.stringify({ telegrams, seconds: best.once, secondsDouble: best.twice, ratio: best.twice / best.once }));
  process.exit(0);
}

const run = kind === 'web' ? web : node;
const seconds: number[] = [];
await run(); // warm up
for (let r = 0; r < Number(rounds); r++) {
  const start = performance.now();
  const count = await run();
  seconds.push((performance.now() - start) / 1000);
  if (count !== telegrams) throw new Error(`${kind} stream delivered ${count} telegrams, expected ${telegrams}`);
}
seconds.sort((a, b) => a - b);
const median = seconds[Math.floor(seconds.length / 2)]!;
process.stdout.write(JSON.stringify({ bytes: data.length, telegrams, seconds: median }));
