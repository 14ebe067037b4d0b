/**
 * The one delivery path of the streams: a chunk (or the end of the input) through the decoder,
 * each telegram and each bad telegram handed on in stream order. The Node stream, the Web stream
 * and `readTelegrams` are this and a few lines of their own.
 */
import type { Decoder, DecodedItem } from '../core/decoder.js';
import type { DsmrError } from '../core/errors.js';
import type { Telegram } from '../core/model/telegram.js';

/** Where the decoded items go. */
export interface Sink {
  telegram(telegram: Telegram): void;
  error(error: DsmrError): void;
}

/**
 * Decodes `chunk` (`null`: ends the input) and hands each item to `sink`, in order. Plain
 * decoding answers at once; decryption (WebCrypto) with a promise, and so does this.
 */
export function feed(decoder: Decoder, chunk: Uint8Array | string | null, sink: Sink): void | Promise<void> {
  const items = chunk === null ? decoder.flush() : decoder.push(chunk);
  if (items instanceof Promise) return items.then((ready) => deliver(ready, sink));
  deliver(items, sink);
}

function deliver(items: readonly DecodedItem[], sink: Sink): void {
  for (const item of items) {
    if (item.telegram !== undefined) sink.telegram(item.telegram);
    else sink.error(item.error);
  }
}

/** Runs `work` and calls `done` when it is finished, with what it threw or rejected with. */
export function settle(work: () => void | Promise<void>, done: (error?: Error | null) => void): void {
  let result: void | Promise<void>;
  try {
    result = work();
  } catch (error) {
    done(error as Error);
    return;
  }
  if (result instanceof Promise) result.then(() => done(), done);
  else done();
}
