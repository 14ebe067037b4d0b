/**
 * The streams, in a fresh process (bench/run.ts runs it) so that no other measurement's garbage
 * is collected here. Prints JSON.
 *
 *   stream.ts overhead <MB> <rounds>  parseTelegram on each telegram of the stream, the Node stream
 *                                     and the Web stream over all of it, side by side in each round
 *   stream.ts linear <rounds>         the Node stream over 5 MB and over 50 MB, side by side
 */
import { Readable } from 'node:stream';
import { lib, web } from './built.js';
import { chunks, telegramStream } from './fixtures.js';
import { median, paired } from './paired.js';

const [mode = 'overhead', ...args] = process.argv.slice(2);

/** The Node stream: a Readable of the chunks piped into the Transform; resolves to the telegram count. */
async function throughNode(input: readonly Uint8Array[]): Promise<number> {
  const stream = lib.createTelegramStream();
  let count = 0;
  stream.on('data', () => count++);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
    Readable.from(input.map((c) => Buffer.from(c.buffer, c.byteOffset, c.length))).pipe(stream);
  });
  return count;
}

/** The Web stream: a pull-based ReadableStream piped through the TransformStream, read with for await. */
async function throughWeb(input: readonly Uint8Array[]): Promise<number> {
  let next = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < input.length) controller.enqueue(input[next++]!);
      else controller.close();
    },
  });
  let count = 0;
  for await (const _ of source.pipeThrough(new web.TelegramDecoderStream())) count++;
  return count;
}

/** The telegrams of a simulated stream one by one (each starts with its `/`). */
function split(data: Uint8Array): Uint8Array[] {
  const telegrams: Uint8Array[] = [];
  let start = 0;
  for (let i = 1; i <= data.length; i++) {
    if (i === data.length || data[i] === 0x2f) {
      telegrams.push(data.subarray(start, i));
      start = i;
    }
  }
  return telegrams;
}

function expect(what: string, count: number, expected: number): void {
  if (count !== expected) throw new Error(`${what} delivered ${count} telegrams, expected ${expected}`);
}

if (mode === 'overhead') {
  const megabytes = Number(args[0] ?? 10);
  const rounds = Number(args[1] ?? 7);
  const { data, telegrams } = telegramStream(megabytes * 1e6);
  const input = chunks(data);
  const one = split(data);
  const result = await paired(
    [
      {
        name: 'parse',
        run: () => {
          for (const t of one) lib.parseTelegram(t);
        },
      },
      { name: 'node', run: async () => expect('the Node stream', await throughNode(input), telegrams) },
      { name: 'web', run: async () => expect('the Web stream', await throughWeb(input), telegrams) },
    ],
    { rounds, sliceMs: 0, warmup: 1 },
  );
  const mbPerSecond = (name: string): number => (result.rate(name) * data.length) / 1e6;
  process.stdout.write(
    JSON.stringify({
      bytes: data.length,
      telegrams,
      parseMBps: mbPerSecond('parse'),
      nodeMBps: mbPerSecond('node'),
      webMBps: mbPerSecond('web'),
      // the stream's cost beyond parsing its telegrams, as a share of the parse cost
      nodeOverhead: result.speedup('parse', 'node') - 1,
      webOverhead: result.speedup('parse', 'web') - 1,
    }),
  );
} else if (mode === 'linear') {
  const rounds = Number(args[0] ?? 5);
  const small = telegramStream(5e6);
  const large = telegramStream(50e6);
  const smallInput = chunks(small.data);
  const largeInput = chunks(large.data);
  const perByte = { small: [] as number[], large: [] as number[] };
  for (let round = 0; round <= rounds; round++) {
    for (const [which, input, telegrams, bytes] of [
      ['small', smallInput, small.telegrams, small.data.length],
      ['large', largeInput, large.telegrams, large.data.length],
    ] as const) {
      const start = performance.now();
      expect('the Node stream', await throughNode(input), telegrams);
      if (round > 0) perByte[which].push((performance.now() - start) / bytes); // round 0 warms up
    }
  }
  const ratios = perByte.large.map((t, round) => t / perByte.small[round]!);
  process.stdout.write(
    JSON.stringify({
      smallBytes: small.data.length,
      largeBytes: large.data.length,
      smallMBps: 1e-3 / median(perByte.small),
      largeMBps: 1e-3 / median(perByte.large),
      // cost per byte at 50 MB over cost per byte at 5 MB: 1 when linear
      ratio: median(ratios),
    }),
  );
} else {
  throw new Error(`unknown mode ${mode}: overhead or linear`);
}
