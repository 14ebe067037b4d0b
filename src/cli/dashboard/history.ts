/**
 * The last hour of power, for the dashboard's chart: a ring of fixed size, so a server that runs
 * for months holds the same few kilobytes as one that just started.
 */

/** One point of the chart: when, and kW taken from and fed into the grid. */
export interface PowerPoint {
  /** ms since the epoch */
  t: number;
  imported: number | null;
  exported: number | null;
}

export class PowerHistory {
  private readonly times: Float64Array;
  private readonly imported: Float64Array;
  private readonly exported: Float64Array;
  /** index of the oldest point */
  private start = 0;
  private size = 0;

  /**
   * @param windowMs how far back the chart goes (points older than the newest minus this drop out)
   * @param capacity at most this many points (a meter sending every second fills an hour with 3,600)
   */
  constructor(
    readonly windowMs = 3_600_000,
    readonly capacity = 3_600,
  ) {
    this.times = new Float64Array(capacity);
    this.imported = new Float64Array(capacity);
    this.exported = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  add(point: PowerPoint): void {
    // a meter clock that goes back (a DST hour without flag, a reset) starts the chart anew
    if (this.size > 0 && point.t < this.times[(this.start + this.size - 1) % this.capacity]!) this.size = 0;
    const at = (this.start + this.size) % this.capacity;
    this.times[at] = point.t;
    this.imported[at] = point.imported ?? Number.NaN;
    this.exported[at] = point.exported ?? Number.NaN;
    if (this.size < this.capacity) this.size++;
    else this.start = (this.start + 1) % this.capacity;
    while (this.size > 0 && this.times[this.start]! < point.t - this.windowMs) {
      this.start = (this.start + 1) % this.capacity;
      this.size--;
    }
  }

  /** The points, oldest first (null where the meter sent no power). */
  points(): PowerPoint[] {
    const points: PowerPoint[] = [];
    for (let i = 0; i < this.size; i++) {
      const at = (this.start + i) % this.capacity;
      const value = (x: number): number | null => (Number.isNaN(x) ? null : x);
      points.push({ t: this.times[at]!, imported: value(this.imported[at]!), exported: value(this.exported[at]!) });
    }
    return points;
  }
}
