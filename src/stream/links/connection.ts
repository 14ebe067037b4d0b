/**
 * P1Connection: telegrams from a link that can drop (a USB serial cable, a TCP bridge), with
 * reconnection. Each link gets its own decoder: a telegram cut off by a disconnect is reported
 * as TRUNCATED, never glued to bytes from the next link, so nothing is duplicated or invented.
 */
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { optionsOf, type OptionNames } from '../../core/arguments.js';
import type { DecoderStats } from '../../core/decoder.js';
import { DsmrError } from '../../core/errors.js';
import type { Telegram } from '../../core/model/telegram.js';
import { DECODER_OPTIONS } from '../../core/options.js';
import { createTelegramStream, type TelegramStream, type TelegramStreamOptions } from '../node.js';

/** How a {@link P1Connection} retries after its link drops: exponential backoff. */
export interface ReconnectOptions {
  /**
   * Delay before the first attempt, in ms (at least 1).
   * @defaultValue `1000`
   */
  initialDelay?: number;
  /**
   * The delay doubles per attempt, up to this, in ms (at least `initialDelay`). Attempts count
   * until a link brings a telegram: a link that opens and drops without one backs off too.
   * @defaultValue `30000`, or `initialDelay` when that is larger
   */
  maxDelay?: number;
}

/** Options of a {@link P1Connection}: decoder options plus reconnection. */
export interface ConnectionOptions extends Omit<TelegramStreamOptions, 'onError' | 'highWaterMark'> {
  /**
   * Reconnect when the link drops, with these delays; `false` ends the connection instead.
   * @defaultValue `{ initialDelay: 1000, maxDelay: 30000 }`
   */
  reconnect?: ReconnectOptions | false;
  /**
   * A link that brings no byte for this long, in ms, is taken as dropped: `'idle'`, then a
   * reconnect (or, with `reconnect: false`, the end). A meter sends every 1 to 10 s; a TCP bridge
   * whose meter side went quiet keeps its connection open with nothing on it. `false`: wait for
   * ever. Time while a slow async iterator holds the link paused does not count.
   * @defaultValue `30000`
   */
  idleTimeout?: number | false;
}

export const CONNECTION_OPTIONS: OptionNames<ConnectionOptions> = { ...DECODER_OPTIONS, reconnect: true, idleTimeout: true };
const RECONNECT_OPTIONS: OptionNames<ReconnectOptions> = { initialDelay: true, maxDelay: true };

/** What `'idle'` listeners get. */
export interface IdleInfo {
  /** ms without a byte */
  idleTimeout: number;
  /** what the link is: a port path, `host:port` */
  target: string;
}

/** What `'reconnect'` listeners get. */
export interface ReconnectInfo {
  /** 1 for the first attempt after a drop, 2 for the second, … */
  attempt: number;
  /** ms until this attempt */
  delay: number;
  /** why the link dropped or the previous attempt failed */
  error: Error | null;
}

/** An open link: bytes to read, and how to close it. */
export interface Link {
  /** The bytes from the meter. Its `'close'`, `'end'` or `'error'` means the link dropped. */
  readable: Readable;
  /** Closes the link (called by {@link P1Connection.close} and when a new link replaces it). */
  close(): Promise<void>;
}

/**
 * The error of a link that does not open, whatever opened it (a serial port, a socket, the
 * caller's `connect`): `LINK_FAILED`, with the error it gave as the cause (its `code`, such as
 * `ECONNREFUSED` or `EACCES`, is there).
 */
export function linkFailed(target: string, cause: unknown): DsmrError {
  if (cause instanceof DsmrError) return cause;
  return new DsmrError('LINK_FAILED', `cannot open ${target}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
}

/** Validates reconnect delays: finite, at least 1 ms, the maximum no less than the first. */
function reconnectOptions(options: ReconnectOptions | undefined): Required<ReconnectOptions> {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new DsmrError('INVALID_OPTION', 'reconnect must be false or { initialDelay?, maxDelay? } (ms)');
  }
  const { initialDelay = 1000, maxDelay = Math.max(30_000, initialDelay) } = optionsOf(options, RECONNECT_OPTIONS);
  for (const [name, value] of [['initialDelay', initialDelay], ['maxDelay', maxDelay]] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) {
      throw new DsmrError('INVALID_OPTION', `reconnect.${name} must be a number of milliseconds ≥ 1, got ${typeof value === 'number' ? value : JSON.stringify(value)}`);
    }
  }
  if (maxDelay < initialDelay) throw new DsmrError('INVALID_OPTION', `reconnect.maxDelay (${maxDelay}) must not be below reconnect.initialDelay (${initialDelay})`);
  return { initialDelay, maxDelay };
}

/** Validates the idle timeout: `false`, or at least 1 ms. */
function idleTimeoutOption(value: unknown): number | false {
  if (value === undefined) return 30_000;
  if (value === false) return false;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) {
    throw new DsmrError('INVALID_OPTION', `idleTimeout must be false or a number of milliseconds ≥ 1, got ${typeof value === 'number' ? value : JSON.stringify(value)}`);
  }
  return value;
}

/** Telegrams buffered per async iterator before the link is paused. */
const ITERATOR_BUFFER = 64;

class TelegramQueue implements AsyncIterableIterator<Telegram> {
  readonly items: Telegram[] = [];
  private waiting: ((result: IteratorResult<Telegram>) => void) | null = null;
  private ended = false;

  constructor(private readonly onDrain: () => void, private readonly onReturn: (queue: TelegramQueue) => void) {}

  push(telegram: Telegram): void {
    if (this.waiting !== null) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: telegram, done: false });
    } else {
      this.items.push(telegram);
    }
  }

  end(): void {
    this.ended = true;
    if (this.waiting !== null) this.waiting({ value: undefined, done: true });
    this.waiting = null;
  }

  next(): Promise<IteratorResult<Telegram>> {
    const item = this.items.shift();
    if (item !== undefined) {
      if (this.items.length === 0) this.onDrain();
      return Promise.resolve({ value: item, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    this.onDrain();
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<Telegram>> {
    this.end();
    this.onReturn(this);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * Telegrams from a link that reconnects. Events: `'telegram'` (Telegram), `'invalid'`
 * (DsmrError), `'open'`, `'idle'` ({@link IdleInfo}: no byte for `idleTimeout` ms, a reconnect
 * follows), `'reconnect'` ({@link ReconnectInfo}), `'error'` (Error, only with `reconnect: false`
 * or when someone listens), `'close'`. Also an async iterable of telegrams.
 */
export class P1Connection extends EventEmitter implements AsyncIterable<Telegram> {
  private link: Link | null = null;
  private stream: TelegramStream | null = null;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private readonly queues = new Set<TelegramQueue>();
  private readonly finished: DecoderStats = { telegrams: 0, invalid: 0, skippedBytes: 0, bytes: 0 };
  private readonly reconnectOptions: Required<ReconnectOptions> | false;
  private readonly idleTimeout: number | false;
  private readonly streamOptions: TelegramStreamOptions;
  /** the idle check of the current link, and when it last brought a byte */
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private lastByte = 0;
  /** whether a slow iterator holds the link paused (idle time does not count then) */
  private paused = false;

  /**
   * Most code uses `openP1Socket` or `openP1Port` (dsmr-p1/serialport), which build one;
   * this is for other transports.
   *
   * @param target - what the link is, for messages: a port path, `host:port`.
   * @param connect - opens a link; called for the first link ({@link open}) and each reconnect.
   * @param options - decoder options and reconnection.
   * @throws {@link DsmrError} `INVALID_OPTION` for a bad option.
   */
  constructor(
    /** What the link is, for messages: a port path, `host:port`. */
    readonly target: string,
    private readonly connect: () => Promise<Link>,
    options: ConnectionOptions = {},
  ) {
    super();
    const { reconnect, idleTimeout, ...streamOptions } = optionsOf(options, CONNECTION_OPTIONS);
    this.streamOptions = streamOptions;
    this.reconnectOptions = reconnect === false ? false : reconnectOptions(reconnect);
    this.idleTimeout = idleTimeoutOption(idleTimeout);
    // validate the options now: a bad option must fail the open, not the first reconnect
    createTelegramStream(streamOptions).destroy();
  }

  /** Counters over every link so far. */
  get stats(): DecoderStats {
    const current = this.stream?.stats;
    const f = this.finished;
    if (current === undefined) return { ...f };
    return {
      telegrams: f.telegrams + current.telegrams,
      invalid: f.invalid + current.invalid,
      skippedBytes: f.skippedBytes + current.skippedBytes,
      bytes: f.bytes + current.bytes,
    };
  }

  /** Whether a link is open now. */
  get connected(): boolean {
    return this.link !== null;
  }

  /**
   * Opens the first link; rejects when that fails (a wrong path or host is an error, not a reconnect).
   * @throws {@link DsmrError} `LINK_FAILED` when the link does not open.
   */
  async open(): Promise<void> {
    try {
      await this.attach();
    } catch (error) {
      throw linkFailed(this.target, error);
    }
    this.emit('open');
  }

  /** Closes the link and ends iteration; no reconnect after this. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.detach();
    for (const queue of this.queues) queue.end();
    this.queues.clear();
    this.emit('close');
  }

  /**
   * Iterates the telegrams from now on, across reconnects, until {@link close}. A consumer that
   * falls 64 telegrams behind pauses the link (no unbounded buffering).
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<Telegram> {
    const queue = new TelegramQueue(
      () => this.resumeIfDrained(),
      (q) => {
        // a loop that ends (break, return, a throw in its body) must not leave the link paused
        this.queues.delete(q);
        this.resumeIfDrained();
      },
    );
    if (this.closed) queue.end();
    else this.queues.add(queue);
    return queue;
  }

  private async attach(): Promise<void> {
    const link = await this.connect();
    if (this.closed) {
      await link.close();
      return;
    }
    const stream = createTelegramStream({ ...this.streamOptions, onError: (error: DsmrError) => this.emit('invalid', error) });
    this.link = link;
    this.stream = stream;
    stream.on('data', (telegram: Telegram) => this.deliver(telegram));
    const dropped = (error?: unknown) => this.dropped(link, error instanceof Error ? error : null);
    // serialport passes its DisconnectedError to 'close'; sockets report errors on 'error'
    link.readable.once('close', dropped);
    link.readable.once('end', () => dropped());
    link.readable.on('error', dropped);
    link.readable.pipe(stream, { end: false });
    this.watchIdle(link);
  }

  /** Takes the link as dropped when it brings no byte for `idleTimeout` ms (paused time aside). */
  private watchIdle(link: Link): void {
    const timeout = this.idleTimeout;
    if (timeout === false) return;
    this.lastByte = Date.now();
    link.readable.on('data', () => {
      this.lastByte = Date.now();
    });
    const check = (): void => {
      this.idleTimer = null;
      if (this.link !== link) return;
      const quiet = Date.now() - this.lastByte;
      if (this.paused || quiet < timeout) {
        this.idleTimer = setTimeout(check, this.paused ? timeout : timeout - quiet);
        return;
      }
      const info: IdleInfo = { idleTimeout: timeout, target: this.target };
      this.emit('idle', info);
      this.dropped(link, new DsmrError('LINK_IDLE', `no data from ${this.target} for ${timeout / 1000} s: the link is taken as dropped`));
    };
    this.idleTimer = setTimeout(check, timeout);
  }

  private deliver(telegram: Telegram): void {
    // a link that brings telegrams is healthy: the next drop starts the backoff anew
    this.attempt = 0;
    this.emit('telegram', telegram);
    let full = false;
    for (const queue of this.queues) {
      queue.push(telegram);
      if (queue.items.length >= ITERATOR_BUFFER) full = true;
    }
    // a slow iterator holds the link back instead of buffering without end
    if (full) {
      this.paused = true;
      this.link?.readable.pause();
    }
  }

  private resumeIfDrained(): void {
    for (const queue of this.queues) if (queue.items.length >= ITERATOR_BUFFER) return;
    if (this.paused) {
      this.paused = false;
      // the quiet time starts now, not when the link was paused
      this.lastByte = Date.now();
    }
    this.link?.readable.resume();
  }

  /** Ends the current link's decoder: a telegram cut off by the drop is reported. */
  private async detach(): Promise<void> {
    const { link, stream } = this;
    this.link = null;
    this.stream = null;
    this.paused = false;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (link !== null) {
      link.readable.unpipe(stream ?? undefined);
      await link.close().catch(() => {});
    }
    if (stream !== null) {
      await new Promise<void>((resolve) => {
        stream.once('finish', resolve);
        stream.end();
      });
      const s = stream.stats;
      this.finished.telegrams += s.telegrams;
      this.finished.invalid += s.invalid;
      this.finished.skippedBytes += s.skippedBytes;
      this.finished.bytes += s.bytes;
    }
  }

  private dropped(link: Link, error: Error | null): void {
    if (this.closed || this.link !== link) return;
    void this.detach().then(() => {
      if (this.closed) return;
      if (this.reconnectOptions === false) {
        if (error !== null && this.listenerCount('error') > 0) this.emit('error', error);
        void this.close();
        return;
      }
      this.schedule(error);
    });
  }

  private schedule(error: Error | null): void {
    if (this.closed || this.reconnectOptions === false) return;
    const { initialDelay, maxDelay } = this.reconnectOptions;
    this.attempt++;
    const delay = Math.min(initialDelay * 2 ** (this.attempt - 1), maxDelay);
    const info: ReconnectInfo = { attempt: this.attempt, delay, error };
    this.emit('reconnect', info);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.attach().then(
        () => {
          // the backoff goes on until the link brings a telegram (see deliver): a bridge that
          // accepts and closes at once is not retried at the first delay forever
          if (!this.closed) this.emit('open');
        },
        (failure: Error) => this.schedule(failure),
      );
    }, delay);
  }
}
