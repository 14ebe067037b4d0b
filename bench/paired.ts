/**
 * Side-by-side measurement on a noisy machine: in each round every contender runs for a short
 * slice right after the others, so all of them see the same load; a ratio is taken per round and
 * the median of the ratios reported. Rates of separate runs drift with other tenants by ±30 %
 * here; paired ratios move by a few per cent.
 */

export interface Contender {
  name: string;
  /** one operation; async contenders are awaited */
  run: () => unknown;
}

export interface Paired {
  /** seconds per operation, one entry per round, for each contender by name */
  perRound: Map<string, number[]>;
  /** operations per second: the median over the rounds */
  rate(name: string): number;
  /** how many times faster `name` is than `reference`: the median of the per-round ratios */
  speedup(name: string, reference: string): number;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * Runs every contender `warmup` times, then `rounds` rounds of a `sliceMs` slice each
 * (at least one operation a slice).
 */
export async function paired(contenders: readonly Contender[], { rounds, sliceMs = 3, warmup = 2000 }: { rounds: number; sliceMs?: number; warmup?: number }): Promise<Paired> {
  // a synchronous contender is not awaited: a microtask per call would blur the ratios
  const isAsync = new Map<string, boolean>();
  for (const c of contenders) {
    isAsync.set(c.name, c.run() instanceof Promise);
    for (let i = 1; i < warmup; i++) await c.run();
  }
  const perRound = new Map(contenders.map((c) => [c.name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    // each round starts with the next contender: the collection of one contender's garbage
    // lands on whoever runs after it, so each takes that place as often
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(round + k) % contenders.length]!;
      let count = 0;
      const start = performance.now();
      let now = start;
      if (isAsync.get(c.name)!) {
        do {
          await c.run();
          count++;
          now = performance.now();
        } while (now - start < sliceMs);
      } else {
        do {
          c.run();
          count++;
          now = performance.now();
        } while (now - start < sliceMs);
      }
      perRound.get(c.name)!.push((now - start) / 1000 / count);
    }
  }
  const times = (name: string): number[] => {
    const t = perRound.get(name);
    if (t === undefined) throw new Error(`no contender ${name}`);
    return t;
  };
  return {
    perRound,
    rate: (name) => 1 / median(times(name)),
    speedup: (name, reference) => {
      const ours = times(name);
      const theirs = times(reference);
      return median(ours.map((t, round) => theirs[round]! / t));
    },
  };
}
