/**
 * The framer of the binary transports (HDLC, M-Bus): frames that start with a known byte and say
 * their own length, found in a byte stream. Incremental and resynchronising, as the DSMR framer:
 * garbage is skipped, a chunk may end anywhere, and a frame that fails its checks is reported
 * (`CRC_MISMATCH` when its header is good but its checksum is not: garbage that happens to start
 * like a frame has no good header) and the search goes on from the byte after its start, so a
 * damaged frame never hides a good one behind it. While a frame is waited for, a complete good
 * frame after its start ends the wait (the first was garbage, or was cut off: `TRUNCATED` when its
 * header is good). It holds at most one frame and the chunk being read.
 */
import { DsmrError } from '../errors.js';

/** One checked frame of a transport. */
export interface TransportFrame {
  /** what the frame carries (HDLC: the information field; M-Bus: the bytes after CI) */
  payload: Uint8Array;
  /** more frames of the same message follow */
  more: boolean;
  /** the stream offset of its first byte */
  offset: number;
}

export type FramerEvent = { type: 'frame'; frame: TransportFrame } | { type: 'error'; error: DsmrError };

/** What the bytes at a frame start are. */
export type Candidate =
  | { kind: 'frame'; payload: Uint8Array; more: boolean; /** index of the byte after it; a closing byte that may open the next frame is not counted */ end: number }
  | { kind: 'damaged'; error: DsmrError }
  | { kind: 'none' }
  | { kind: 'more' };

/** A transport's frame layout. */
export interface FrameFormat {
  /** its name in messages: `HDLC`, `M-Bus` */
  name: string;
  /** the byte every frame starts with */
  startByte: number;
  /** the frame at `at` (whose byte is `startByte`); `streamOffset` for messages */
  read(bytes: Uint8Array, at: number, streamOffset: number): Candidate;
  /** whether the header at `at` is complete and checks out: a frame start, not garbage */
  headerChecks(bytes: Uint8Array, at: number): boolean;
}

export class BinaryFramer {
  /** the bytes held, `store[start..end)`: sized by the first chunk, grown by doubling, compacted when half is read */
  private store = new Uint8Array(0);
  private start = 0;
  private end = 0;
  /** the stream offset of store[start] */
  private base = 0;
  /** while a frame is waited for: stream offsets of the starts after it probed, and of those still incomplete */
  private probedTo = 0;
  private waiting: number[] = [];
  /** the stream offset after the last frame, and the bytes outside frames before it */
  private framedTo = 0;
  private skipped = 0;

  constructor(private readonly format: FrameFormat) {}

  /** Bytes outside any frame so far, good or reported (garbage; a frame's closing flag is the frame's). */
  get skippedBytes(): number {
    return this.skipped;
  }

  /** A frame reported as bad, at stream offset `at`: its bytes are accounted for, not garbage. */
  private reported(at: number, length: number, bytes: Uint8Array): void {
    if (at + length <= this.framedTo) return;
    this.skipTo(at, bytes);
    this.framedTo = at + length;
  }

  /** Counts the bytes from the last frame up to stream offset `to` as skipped. */
  private skipTo(to: number, bytes: Uint8Array): void {
    let gap = to - this.framedTo;
    // the closing flag of the frame before (HDLC: a 7E that may open the next one) is no garbage
    if (gap > 0 && bytes[this.framedTo - this.base] === this.format.startByte) gap--;
    if (gap > 0) this.skipped += gap;
    this.framedTo = Math.max(this.framedTo, to);
  }

  /** Frames (and errors) completed by `chunk`. */
  push(chunk: Uint8Array): FramerEvent[] {
    this.append(chunk);
    return this.scan(false);
  }

  /** The end of the input: a frame cut off is reported. */
  flush(): FramerEvent[] {
    return this.scan(true);
  }

  private append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.store.length) {
      const held = this.end - this.start;
      if (held + chunk.length <= this.store.length / 2) {
        this.store.copyWithin(0, this.start, this.end);
      } else {
        const grown = new Uint8Array(Math.max(this.store.length * 2, held + chunk.length));
        grown.set(this.store.subarray(this.start, this.end));
        this.store = grown;
      }
      this.start = 0;
      this.end = held;
    }
    this.store.set(chunk, this.end);
    this.end += chunk.length;
  }

  private scan(atEnd: boolean): FramerEvent[] {
    const { format } = this;
    const events: FramerEvent[] = [];
    const bytes = this.store.subarray(this.start, this.end);
    const cutOff = (at: number): void => {
      if (!format.headerChecks(bytes, at)) return;
      const message = `the ${format.name} frame at byte ${this.base + at} is cut off before its length says`;
      events.push({ type: 'error', error: new DsmrError('TRUNCATED', message, { frame: bytes.slice(at), frameOffset: this.base + at }) });
      this.reported(this.base + at, bytes.length - at, bytes);
    };
    let at = bytes.indexOf(format.startByte);
    while (at >= 0) {
      const candidate = format.read(bytes, at, this.base + at);
      if (candidate.kind === 'more') {
        // a good frame after it shows this one is none, or was cut off: read on from there
        const next = this.goodFrameAfter(bytes, at);
        if (next < 0 && !atEnd) break;
        cutOff(at);
        at = next >= 0 ? next : bytes.indexOf(format.startByte, at + 1);
        continue;
      }
      if (candidate.kind === 'frame') {
        this.skipTo(this.base + at, bytes);
        this.framedTo = this.base + candidate.end;
        events.push({ type: 'frame', frame: { payload: candidate.payload, more: candidate.more, offset: this.base + at } });
        at = bytes.indexOf(format.startByte, candidate.end);
        continue;
      }
      if (candidate.kind === 'damaged') {
        events.push({ type: 'error', error: candidate.error });
        this.reported(this.base + at, candidate.error.frame?.length ?? 0, bytes);
      }
      at = bytes.indexOf(format.startByte, at + 1);
    }
    // keep only what a frame may still begin with (at most one frame's bytes)
    const consumed = at < 0 || atEnd ? bytes.length : at;
    this.skipTo(this.base + consumed, bytes);
    this.start += consumed;
    this.base += consumed;
    if (this.start === this.end) this.start = this.end = 0;
    return events;
  }

  /**
   * The first start after `at` of a complete good frame, or -1. Starts that open nothing are not
   * looked at again (`probedTo`); those still incomplete are, as bytes come.
   */
  private goodFrameAfter(bytes: Uint8Array, at: number): number {
    const { base, format } = this;
    const starts: number[] = [];
    for (const offset of this.waiting) if (offset - base > at) starts.push(offset - base);
    for (let s = bytes.indexOf(format.startByte, Math.max(at + 1, this.probedTo - base)); s >= 0; s = bytes.indexOf(format.startByte, s + 1)) starts.push(s);
    this.probedTo = base + bytes.length;
    this.waiting = [];
    for (let i = 0; i < starts.length; i++) {
      const kind = format.read(bytes, starts[i]!, 0).kind;
      if (kind === 'frame') {
        // the starts after it are looked at when a frame is waited for again
        for (const later of starts.slice(i + 1)) this.waiting.push(base + later);
        return starts[i]!;
      }
      if (kind === 'more') this.waiting.push(base + starts[i]!);
    }
    return -1;
  }
}
