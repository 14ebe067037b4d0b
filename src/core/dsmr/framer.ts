/**
 * The framer: finds telegrams (`/` … `!CRC`) in a byte stream, incrementally, transport-free.
 *
 * Real streams are messy: garbage before the first telegram, a telegram cut off mid-line and
 * directly followed by the next (`…(00.3/KFM5…`), a `/` inside a good telegram (Holley's header
 * `/HLY5/D545`, a text message), no CRC at all (DSMR 2.2/3.0), NUL or 0xFF after the CRC. So the
 * framer keeps every `/` it has seen since the current telegram began as a candidate start, with
 * a running CRC for each; when the checksum line arrives it takes the candidate whose CRC matches
 * (without a CRC: the first `/` that starts a line and looks like a header). A `/` at the start of
 * a line always begins a new telegram: no line of a telegram starts with `/`.
 *
 * Cost is linear: each byte is searched once (native `indexOf`), CRC'd once per live candidate
 * (usually one) and copied only when its telegram spans two chunks. Memory is bounded by
 * `maxTelegramBytes` (plus the chunk being processed): a frame that grows past it is dropped.
 */
import { expectBytes, optionsOf, type OptionNames } from '../arguments.js';
import { crc16, crc16Combine } from '../checksum.js';
import { DsmrError } from '../errors.js';
import { BANG, CHECKSUM_DIGITS, LF, SLASH, endsChecksum, headerAt, hexDigit, isFiller, isLineEnd } from './grammar.js';

const DEFAULT_MAX_TELEGRAM_BYTES = 16 * 1024;

/** The first bytes of a candidate, gathered from the buffer and the chunk for the header test. */
const HEADER_WINDOW = new Uint8Array(5);

/**
 * What the framer found: a complete telegram (to be parsed), or a frame it had to drop. A
 * telegram comes with the CRC-16 of its first `crcLength` bytes (`/` through `!`), which the
 * framer computed anyway, so the parser need not compute it again.
 */
export type FramerEvent =
  | {
      /** A complete frame. */
      type: 'telegram';
      /** The frame, from `/` through the line end after the CRC. */
      bytes: Uint8Array;
      /** The byte offset in the stream where the frame starts. */
      offset: number;
      /** CRC-16/ARC of `bytes[0]` up to `bytes[crcLength - 1]`. */
      crc: number;
      /** How many bytes `crc` covers: `/` through `!`. */
      crcLength: number;
    }
  | {
      /** A dropped frame (`TRUNCATED`, `FRAME_TOO_LARGE`). */
      type: 'error';
      /** Why it was dropped, with the frame's bytes and offset. */
      error: DsmrError;
    };

/** Options of {@link TelegramFramer} (and of the decoders and streams built on it). */
export interface FramerOptions {
  /**
   * A frame longer than this many bytes (from `/` through the CRC) is dropped with
   * `FRAME_TOO_LARGE`, so memory stays bounded whatever the input. At least 16.
   * @defaultValue `16384` (16 KiB)
   */
  maxTelegramBytes?: number;
}

export const FRAMER_OPTIONS: OptionNames<FramerOptions> = { maxTelegramBytes: true };

interface Candidate {
  /** absolute stream offset of the `/` */
  start: number;
  /** CRC-16 of the bytes from the frame's origin up to `start`: with the running CRC it gives this candidate's own (crc16Combine) */
  prefix: number;
  /** the `/` is the first byte of a line */
  lineStart: boolean;
}

const enum State {
  /** between telegrams: looking for `/` */
  Idle,
  /** inside a telegram: looking for `!` at the start of a line (and for more `/`) */
  Body,
  /** after `!`: reading up to 4 hex digits */
  Checksum,
}

export function validateMaxTelegramBytes(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_TELEGRAM_BYTES;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 16) {
    throw new DsmrError('INVALID_OPTION', `maxTelegramBytes must be an integer ≥ 16, got ${String(value)}`);
  }
  return value;
}

/** Incremental telegram framer: `push` chunks in, get telegrams (and dropped frames) out. */
export class TelegramFramer {
  private readonly max: number;
  /** absolute offset of the next byte to arrive */
  private pos = 0;
  /** the byte before `pos`; the stream start counts as a line start */
  private previous = LF;
  private state = State.Idle;
  /**
   * Every `/` since the frame began, from `head` on (older ones grew too large). None is ever
   * evicted: each costs O(1) while scanning, since its CRC is derived only at the checksum line.
   */
  private candidates: Candidate[] = [];
  private head = 0;
  /** CRC-16 of the bytes from the frame's origin (its first `/`) up to `crcPosition` */
  private crc = 0;
  /** absolute offset up to which `crc` runs */
  private crcPosition = 0;
  /** bytes before this absolute offset are in a reported frame or counted as skipped */
  private accountedTo = 0;
  /** bytes of the current frame from earlier chunks: buffer[0] is at absolute offset `bufferStart` */
  private buffer = new Uint8Array(0);
  private bufferStart = 0;
  private bufferLength = 0;
  private checksumDigits = 0;
  private checksumValue = 0;
  private skipped = 0;

  constructor(options: FramerOptions = {}) {
    this.max = validateMaxTelegramBytes(optionsOf(options, FRAMER_OPTIONS).maxTelegramBytes);
  }

  /** Bytes outside any telegram or reported frame, not counting whitespace, NUL and 0xFF. */
  get skippedBytes(): number {
    return this.skipped;
  }

  /** Bytes seen so far. */
  get position(): number {
    return this.pos;
  }

  /**
   * Feeds a chunk; returns the telegrams (and dropped frames) it completed, in stream order.
   * @throws {@link DsmrError} `INVALID_INPUT` when the chunk is not a `Uint8Array`.
   */
  push(chunk: Uint8Array): FramerEvent[] {
    expectBytes(chunk, 'TelegramFramer.push');
    const out: FramerEvent[] = [];
    const base = this.pos;
    const n = chunk.length;
    let i = 0;
    let nextSlash = -1;
    let nextBang = -1;
    while (i < n) {
      if (this.state === State.Idle) {
        i = this.skipToSlash(chunk, i);
        if (i >= n) break;
        this.begin(chunk, base, i);
        i++;
        continue;
      }
      if (this.state === State.Checksum) {
        i = this.readChecksum(chunk, base, i, out);
        continue;
      }
      // Body: the next `/` or `!`, found natively and remembered until passed
      if (nextSlash < i && nextSlash !== n) nextSlash = indexOrEnd(chunk, SLASH, i);
      if (nextBang < i && nextBang !== n) nextBang = indexOrEnd(chunk, BANG, i);
      const k = nextSlash < nextBang ? nextSlash : nextBang;
      if (k >= n) break;
      const lineStart = isLineEnd(k > 0 ? chunk[k - 1]! : this.previous);
      this.dropOversized(chunk, base, base + k, out);
      if (this.isIdle()) {
        i = k; // the frame was dropped: look for the next telegram from here
        continue;
      }
      if (k === nextBang) {
        if (lineStart) {
          this.updateCrc(chunk, base, base + k + 1);
          this.state = State.Checksum;
          this.checksumDigits = 0;
          this.checksumValue = 0;
        }
      } else if (lineStart) {
        // a `/` at the start of a line: whatever came before is cut off
        this.endTruncated(chunk, base, base + k, out, 'a new telegram started before its checksum line');
        this.begin(chunk, base, k);
      } else {
        this.addCandidate(chunk, base, k);
      }
      i = k + 1;
    }
    if (!this.isIdle()) {
      this.dropOversized(chunk, base, base + n - 1, out, base + n);
      if (!this.isIdle()) this.keep(chunk, base, n);
    }
    this.pos = base + n;
    if (n > 0) this.previous = chunk[n - 1]!;
    return out;
  }

  /** Ends the stream: completes a telegram waiting for its line end, reports one cut off. */
  flush(): FramerEvent[] {
    const out: FramerEvent[] = [];
    const none = new Uint8Array(0);
    if (this.state === State.Checksum) this.complete(none, this.pos, this.pos, out);
    else if (this.state === State.Body) this.endTruncated(none, this.pos, this.pos, out, 'the stream ended before its checksum line');
    return out;
  }

  /** A method, so that TypeScript does not narrow `state` across calls that change it. */
  private isIdle(): boolean {
    return this.state === State.Idle;
  }

  /** Skips to the next `/`, counting garbage on the way. */
  private skipToSlash(chunk: Uint8Array, i: number): number {
    const n = chunk.length;
    for (; i < n; i++) {
      const byte = chunk[i]!;
      if (byte === SLASH) return i;
      if (!isFiller(byte)) this.skipped++;
    }
    return n;
  }

  /** Starts a frame at chunk index `k` (a `/`). */
  private begin(chunk: Uint8Array, base: number, k: number): void {
    this.state = State.Body;
    this.bufferLength = 0;
    this.bufferStart = base + k;
    this.crcPosition = base + k;
    this.crc = 0;
    this.candidates = [{ start: base + k, prefix: 0, lineStart: isLineEnd(k > 0 ? chunk[k - 1]! : this.previous) }];
    this.head = 0;
    // what came before was counted by skipToSlash
    this.accountedTo = base + k;
  }

  private addCandidate(chunk: Uint8Array, base: number, k: number): void {
    this.updateCrc(chunk, base, base + k);
    this.candidates.push({ start: base + k, prefix: this.crc, lineStart: false });
  }

  /** Brings the running CRC up to absolute offset `to` (bytes of the current chunk only). */
  private updateCrc(chunk: Uint8Array, base: number, to: number): void {
    const from = this.crcPosition;
    if (to <= from) return;
    this.crc = crc16(chunk, this.crc, from - base, to - base);
    this.crcPosition = to;
  }

  /** The CRC-16 of a candidate's bytes, from its `/` up to `crcPosition`. */
  private crcOf(candidate: Candidate): number {
    return crc16Combine(candidate.prefix, 0, this.crcPosition - candidate.start) ^ this.crc;
  }

  private readChecksum(chunk: Uint8Array, base: number, i: number, out: FramerEvent[]): number {
    const n = chunk.length;
    while (i < n && this.checksumDigits < CHECKSUM_DIGITS) {
      const digit = hexDigit(chunk[i]!);
      if (digit < 0) break;
      this.dropOversized(chunk, base, base + i, out);
      if (this.isIdle()) return i;
      this.checksumValue = this.checksumValue * 16 + digit;
      this.checksumDigits++;
      i++;
    }
    if (this.checksumDigits === CHECKSUM_DIGITS) {
      this.complete(chunk, base, base + i, out);
    } else if (i < n) {
      // fewer than 4 digits must end the line; `!:BA7` is a damaged CRC: keep the byte so the
      // parser sees (and reports) it instead of a telegram without CRC
      const end = endsChecksum(chunk[i]!) ? i : i + 1;
      this.complete(chunk, base, base + end, out);
      return end;
    }
    return i;
  }

  /**
   * The checksum line is complete at absolute offset `end`. Emit the candidate whose CRC matches.
   * A CRC that matches none means damage: emit the latest candidate that looks like a header (an
   * earlier one is a telegram cut off in front of it, reported as such). Without a CRC (DSMR
   * 2.2/3.0) emit the first that starts a line and looks like a header. The parser then says what
   * is wrong with a damaged frame.
   */
  private complete(chunk: Uint8Array, base: number, end: number, out: FramerEvent[]): void {
    const live = this.candidates.slice(this.head);
    const isHeader = (c: Candidate): boolean => this.looksLikeHeader(chunk, base, c.start);
    let chosen = -1;
    if (this.checksumDigits > 0) {
      chosen = live.findIndex((c) => this.crcOf(c) === this.checksumValue);
      if (chosen < 0) chosen = live.findLastIndex(isHeader);
    } else {
      chosen = live.findIndex((c) => c.lineStart && isHeader(c));
      if (chosen < 0) chosen = live.findIndex(isHeader);
    }
    if (chosen < 0) chosen = 0;
    const candidate = live[chosen]!;
    this.reportTruncated(chunk, base, live.slice(0, chosen), candidate.start, out, 'the next telegram began in the middle of its line');
    this.countSkipped(chunk, base, this.accountedTo, candidate.start);
    // the CRC stops at the `!` (crcPosition): the bytes from `/` through it
    const crc = this.crcOf(candidate);
    out.push({ type: 'telegram', bytes: this.bytes(chunk, base, candidate.start, end), offset: candidate.start, crc, crcLength: this.crcPosition - candidate.start });
    this.accountedTo = end;
    this.reset();
  }

  /** Everything since the frame began is cut off at `end`: report the frames that look like telegrams. */
  private endTruncated(chunk: Uint8Array, base: number, end: number, out: FramerEvent[], why: string): void {
    this.reportTruncated(chunk, base, this.candidates.slice(this.head), end, out, why);
    this.countSkipped(chunk, base, this.accountedTo, end);
    this.reset();
  }

  /**
   * Reports each candidate that looks like a header as a TRUNCATED frame running to the next such
   * candidate (or `end`); a `/` that does not look like a header is garbage.
   */
  private reportTruncated(chunk: Uint8Array, base: number, candidates: readonly Candidate[], end: number, out: FramerEvent[], why: string): void {
    const headers = candidates.filter((c) => this.looksLikeHeader(chunk, base, c.start));
    headers.forEach((c, index) => {
      const to = headers[index + 1]?.start ?? end;
      this.countSkipped(chunk, base, this.accountedTo, c.start);
      const bytes = this.bytes(chunk, base, c.start, to);
      out.push({
        type: 'error',
        error: new DsmrError('TRUNCATED', `telegram at byte ${c.start} is cut off after ${bytes.length} bytes: ${why}`, {
          frame: bytes,
          frameOffset: c.start,
        }),
      });
      this.accountedTo = to;
    });
  }

  /**
   * Drops the candidates that have grown past `maxTelegramBytes` once the byte at absolute offset
   * `at` is processed; those that look like a header are reported. Bytes from the limit up to
   * `resume` (where scanning goes on) are skipped.
   */
  private dropOversized(chunk: Uint8Array, base: number, at: number, out: FramerEvent[], resume = at): void {
    const { max } = this;
    while (this.head < this.candidates.length && at >= this.candidates[this.head]!.start + max) {
      const dropped = this.candidates[this.head++]!;
      // one report per frame: a candidate inside a frame already reported is part of it
      if (dropped.start >= this.accountedTo && this.looksLikeHeader(chunk, base, dropped.start)) {
        this.countSkipped(chunk, base, this.accountedTo, dropped.start);
        const bytes = this.bytes(chunk, base, dropped.start, dropped.start + max);
        out.push({
          type: 'error',
          error: new DsmrError(
            'FRAME_TOO_LARGE',
            `telegram at byte ${dropped.start} grew past maxTelegramBytes (${max}) without a checksum line; dropped`,
            { frame: bytes, frameOffset: dropped.start },
          ),
        });
        this.accountedTo = Math.max(this.accountedTo, dropped.start + max);
      }
      const next = this.candidates[this.head];
      this.countSkipped(chunk, base, this.accountedTo, next === undefined ? resume : next.start);
      if (next === undefined) {
        this.reset();
        return;
      }
      this.discardBefore(next.start);
      // keep the array from growing with dropped candidates (compacted now and then: amortised O(1))
      if (this.head > 1024 && this.head * 2 > this.candidates.length) {
        this.candidates = this.candidates.slice(this.head);
        this.head = 0;
      }
    }
  }

  /** Counts the bytes from `from` to `to` (absolute) that are not filler as skipped, and accounts for them. */
  private countSkipped(chunk: Uint8Array, base: number, from: number, to: number): void {
    for (let p = Math.max(from, this.accountedTo); p < to; p++) if (!isFiller(this.byteAt(chunk, base, p))) this.skipped++;
    if (to > this.accountedTo) this.accountedTo = to;
  }

  /** `/` followed by a 3-letter manufacturer and a digit (the grammar's header start). */
  private looksLikeHeader(chunk: Uint8Array, base: number, start: number): boolean {
    const end = base + chunk.length;
    if (start + 4 >= end) return false;
    const window = HEADER_WINDOW;
    for (let k = 0; k < 5; k++) window[k] = this.byteAt(chunk, base, start + k);
    return headerAt(window, 0, 5);
  }

  /** The byte at absolute offset `p`: from the buffer (earlier chunks) or the current chunk. */
  private byteAt(chunk: Uint8Array, base: number, p: number): number {
    return p < base ? this.buffer[p - this.bufferStart]! : chunk[p - base]!;
  }

  /** A copy of the bytes from absolute offset `from` to `to`. */
  private bytes(chunk: Uint8Array, base: number, from: number, to: number): Uint8Array {
    if (from >= base) return chunk.slice(from - base, to - base);
    const out = new Uint8Array(to - from);
    const buffered = Math.min(to, base) - from;
    out.set(this.buffer.subarray(from - this.bufferStart, from - this.bufferStart + buffered));
    if (to > base) out.set(chunk.subarray(0, to - base), buffered);
    return out;
  }

  /** Keeps the bytes of the current chunk that belong to the open frame, for the next chunk. */
  private keep(chunk: Uint8Array, base: number, n: number): void {
    if (this.state === State.Body) this.updateCrc(chunk, base, base + n);
    const from = Math.max(this.bufferStart + this.bufferLength, base) - base;
    const needed = this.bufferLength + (n - from);
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(Math.max(needed, Math.min(this.buffer.length * 2 || 1024, this.max + n)));
      grown.set(this.buffer.subarray(0, this.bufferLength));
      this.buffer = grown;
    }
    this.buffer.set(chunk.subarray(from, n), this.bufferLength);
    this.bufferLength = needed;
  }

  /** Forgets the buffered bytes before absolute offset `start` (the new oldest candidate). */
  private discardBefore(start: number): void {
    const drop = start - this.bufferStart;
    if (drop <= 0) return;
    if (drop >= this.bufferLength) {
      this.bufferLength = 0;
      this.bufferStart = start;
      return;
    }
    this.buffer.copyWithin(0, drop, this.bufferLength);
    this.bufferLength -= drop;
    this.bufferStart = start;
  }

  private reset(): void {
    this.state = State.Idle;
    this.candidates = [];
    this.head = 0;
    this.bufferLength = 0;
    // the buffer keeps its capacity, unless a huge frame inflated it
    if (this.buffer.length > 4 * this.max) this.buffer = new Uint8Array(0);
  }
}

function indexOrEnd(chunk: Uint8Array, byte: number, from: number): number {
  const k = chunk.indexOf(byte, from);
  return k < 0 ? chunk.length : k;
}
