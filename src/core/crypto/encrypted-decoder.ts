/**
 * Decodes a stream of encrypted P1 frames (Luxembourg Smarty): frames them by their length header
 * (`DB 08` … `82 LL LL`), decrypts each with WebCrypto, parses the plaintext telegram.
 *
 * `DB 08` can occur inside ciphertext, so a header is only believed when its length and security
 * byte are plausible; when a frame does not decrypt, the search resumes at the byte after its
 * start, so a false header never hides the real frame behind it.
 */
import { optionsOf } from '../arguments.js';
import { chunkBytes } from '../bytes.js';
import { parseFrame } from '../dsmr/parse.js';
import { TelegramFramer, validateMaxTelegramBytes } from '../dsmr/framer.js';
import { SLASH } from '../dsmr/grammar.js';
import { DsmrError } from '../errors.js';
import type { DecodedItem, Decoder, DecoderStats } from '../items.js';
import { DECODER_OPTIONS, resolveParseOptions, type DecoderOptions, type ResolvedParseOptions } from '../options.js';
import { decryptFrame, plaintextStartsWith, type DecryptedFrame, type EncryptionInfo } from './decrypt.js';
import { TAG, readEncryptedHeader } from './frame-header.js';
import { decryptionKeys, type DecryptionKeys } from './keys.js';

/** candidate frames inside a frame waited for that are kept to be tried again (see resync) */
const MAX_WAITING = 64;

/** A decrypted frame, or a frame that could not be decrypted (or was cut off). */
export type DecryptedItem =
  | {
      /** The decrypted telegram text, as bytes. */
      plaintext: Uint8Array;
      /** How the frame was protected. */
      encryption: EncryptionInfo;
      /** The encrypted frame it came from. */
      frame: Uint8Array;
      /** The byte offset in the stream where the frame starts. */
      offset: number;
      /** Absent on a decrypted frame. */
      error?: undefined;
    }
  | {
      /** Absent on an error. */
      plaintext?: undefined;
      /** `DECRYPTION` or `TRUNCATED`, with the frame's bytes and offset. */
      error: DsmrError;
    };

/**
 * Decodes encrypted P1 frames (Luxembourg Smarty): bytes in, parsed telegrams and errors out.
 * {@link createDecoder} returns one when the options have `decryption`.
 */
export class EncryptedTelegramDecoder implements Decoder {
  private readonly options: ResolvedParseOptions;
  private readonly keys: DecryptionKeys;
  private readonly max: number;
  /** bytes not yet framed; buffer[0] is at stream offset `bufferStart` */
  private buffer = new Uint8Array(0);
  private bufferStart = 0;
  private bufferLength = 0;
  /** stream offset up to which bytes belong to a delivered or reported frame */
  private accountedTo = 0;
  /** resynchronisation (see resync): the stream offset of the frame waited for, the candidates
   * inside it still waiting for bytes, and how far candidates were looked for */
  private stuck = -1;
  /** where the next frame starts if the stream is in step: right after the last one delivered */
  private inStepAt = 0;
  /** the end of the bytes the last reported bad frame claimed */
  private reportedTo = 0;
  private waiting: number[] = [];
  private probedTo = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * Plain telegrams are not read here (nothing authenticates them), but said once: looked for
   * until one is found or a frame decrypts.
   */
  private plain: TelegramFramer | null;
  private delivered = 0;
  private rejected = 0;
  private skipped = 0;
  private received = 0;

  /** @throws {@link DsmrError} `INVALID_OPTION` for a bad option or key. */
  constructor(options: DecoderOptions) {
    const { maxTelegramBytes, decryption, protocol: _protocol, ...parseOptions } = optionsOf(options, DECODER_OPTIONS);
    this.options = resolveParseOptions(parseOptions);
    this.keys = decryptionKeys(decryption!);
    this.max = validateMaxTelegramBytes(maxTelegramBytes);
    this.plain = new TelegramFramer({ maxTelegramBytes: this.max });
  }

  /** Counters so far. */
  get stats(): DecoderStats {
    return { telegrams: this.delivered, invalid: this.rejected, skippedBytes: this.skipped, bytes: this.received };
  }

  /** Frames, decrypts and parses a chunk; returns the telegrams and errors it completed, in stream order. */
  async push(chunk: Uint8Array | string): Promise<DecodedItem[]> {
    return this.parse(await this.decrypt(chunk));
  }

  /** Ends the input: reports a frame cut off at the end. */
  async flush(): Promise<DecodedItem[]> {
    return this.parse(await this.flushDecrypted());
  }

  /** Frames and decrypts a chunk, without parsing: the plaintext telegrams (`dsmr-p1 decrypt`). */
  decrypt(chunk: Uint8Array | string): Promise<DecryptedItem[]> {
    const bytes = chunkBytes(chunk);
    return this.inTurn(async () => {
      this.received += bytes.length;
      this.append(bytes);
      const plain = this.spotPlain(bytes);
      const items = await this.drain(false);
      if (plain !== null) items.unshift({ error: plain });
      return items;
    });
  }

  /** Ends the input of {@link decrypt}: reports a frame cut off at the end. */
  flushDecrypted(): Promise<DecryptedItem[]> {
    return this.inTurn(() => this.drain(true));
  }

  /** The report for the first plain telegram with a good CRC, once; else null. */
  private spotPlain(bytes: Uint8Array): DsmrError | null {
    if (this.plain === null) return null;
    for (const event of this.plain.push(bytes)) {
      if (event.type !== 'telegram' || !('telegram' in parseFrame(event.bytes, event.offset, this.options))) continue;
      this.plain = null;
      this.rejected++;
      return new DsmrError(
        'UNENCRYPTED_TELEGRAM',
        'the input holds plain telegrams, not encrypted frames: they are not read while a key is given (nothing authenticates them); leave out the key (decryption; CLI: --key) to read them',
        { frame: event.bytes, frameOffset: event.offset },
      );
    }
    return null;
  }

  /** Runs calls one after the other, as they came, however many are awaited at once: each frames what the one before left. */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(work);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private parse(items: DecryptedItem[]): DecodedItem[] {
    return items.map((item) => {
      if (item.error !== undefined) return item;
      const parsed = parseFrame(item.plaintext, item.offset, this.options);
      if ('telegram' in parsed) {
        this.delivered++;
        parsed.telegram.encryption = item.encryption;
        return parsed;
      }
      this.rejected++;
      return { error: parsed.error.withFrame(item.frame, item.offset) };
    });
  }

  private append(bytes: Uint8Array): void {
    const needed = this.bufferLength + bytes.length;
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2, 4096));
      grown.set(this.buffer.subarray(0, this.bufferLength));
      this.buffer = grown;
    }
    this.buffer.set(bytes, this.bufferLength);
    this.bufferLength = needed;
  }

  /**
   * Frames and decrypts what the buffer holds; keeps an incomplete frame for later. A frame whose
   * header claims more bytes than have come is waited for, unless a complete frame that decrypts
   * starts inside it: then its length field lied (a damaged header), it is reported, and reading
   * goes on from there. At the end of the input, such a frame is reported and what it held back
   * is read again.
   */
  private async drain(final: boolean): Promise<DecryptedItem[]> {
    const items: DecryptedItem[] = [];
    let position = 0;
    /** where the bytes to keep for the next chunk begin: an incomplete frame, or nothing */
    let keep = this.bufferLength;
    for (;;) {
      const k = this.buffer.subarray(0, this.bufferLength).indexOf(TAG, position);
      if (k < 0) break;
      const start = this.bufferStart + k;
      const layout = readEncryptedHeader(this.buffer, k, this.bufferLength);
      if (layout === 'more') {
        if (!final) keep = k; // the header continues in the next chunk
        break;
      }
      if (layout === null) {
        position = k + 1;
        continue;
      }
      if (layout.length > this.max) {
        const frame = this.buffer.slice(k, Math.min(this.bufferLength, k + this.max));
        this.countSkipped(start);
        this.report(
          items,
          new DsmrError('FRAME_TOO_LARGE', `encrypted frame at byte ${start} claims ${layout.length} bytes, more than maxTelegramBytes (${this.max}); dropped`, {
            frame,
            frameOffset: start,
          }),
          start + 1,
        );
        position = k + 1;
        continue;
      }
      if (k + layout.length > this.bufferLength) {
        const found = await this.resync(k);
        if (found !== null) {
          const frame = this.buffer.slice(k, found.at);
          this.countSkipped(start);
          this.report(
            items,
            new DsmrError('TRUNCATED', `encrypted frame at byte ${start} is cut off: its length field claims ${layout.length} bytes, but another frame starts at byte ${this.bufferStart + found.at}`, {
              frame,
              frameOffset: start,
            }),
            this.bufferStart + found.at,
          );
          this.deliver(items, found.at, found.length, found.decrypted);
          position = found.at + found.length;
          continue;
        }
        if (!final) {
          keep = k;
          break;
        }
        // the input ended: report this frame, then read what it held back
        const next = this.nextHeader(k + 1);
        const frame = this.buffer.slice(k, next);
        this.countSkipped(start);
        this.report(items, new DsmrError('TRUNCATED', `encrypted frame at byte ${start} is cut off by the end of the stream`, { frame, frameOffset: start }), this.bufferStart + next);
        position = k + 1;
        continue;
      }
      this.countSkipped(start);
      let decrypted: DecryptedFrame;
      try {
        // out of step with the frames before (after garbage or a bad frame), a header may be a
        // false one inside ciphertext: check the first plaintext byte before decrypting it all
        if (start !== this.inStepAt && !(await plaintextStartsWith(this.buffer.subarray(k, k + layout.length), this.keys, SLASH))) {
          // no telegram in it: a false header, or a wrong key. Reported once for the bytes it
          // claims (false headers inside them are part of it), so a flood costs one error per frame
          if (start >= this.reportedTo) {
            const error = new DsmrError('DECRYPTION', 'the frame does not decrypt to a telegram: the key is wrong, or this is no frame', {
              frame: this.buffer.slice(k, k + layout.length),
              frameOffset: start,
            });
            this.report(items, error, start + layout.length);
            this.reportedTo = start + layout.length;
          }
          position = k + 1;
          continue;
        }
        decrypted = await decryptFrame(this.buffer.slice(k, k + layout.length), this.keys);
      } catch (error) {
        if (!(error instanceof DsmrError)) throw error;
        // a damaged frame, or a false header inside ciphertext: report it, and look again from the next byte
        this.report(items, error.withFrame(this.buffer.slice(k, k + layout.length), start), start + layout.length);
        this.reportedTo = Math.max(this.reportedTo, start + layout.length);
        position = k + 1;
        continue;
      }
      this.deliver(items, k, layout.length, decrypted);
      position = k + layout.length;
    }
    this.countSkipped(this.bufferStart + keep);
    // drop what was framed or skipped; what is kept is one incomplete frame at most (≤ maxTelegramBytes)
    this.buffer.copyWithin(0, keep, this.bufferLength);
    this.bufferStart += keep;
    this.bufferLength -= keep;
    return items;
  }

  private deliver(items: DecryptedItem[], at: number, length: number, decrypted: DecryptedFrame): void {
    const start = this.bufferStart + at;
    this.inStepAt = start + length;
    this.plain = null;
    items.push({ plaintext: decrypted.plaintext, encryption: decrypted.encryption, frame: this.buffer.slice(at, at + length), offset: start });
    this.accountedTo = Math.max(this.accountedTo, start + length);
  }

  /** The buffer index of the next plausible frame header at or after `from`, or the end of the buffer. */
  private nextHeader(from: number): number {
    for (let k = this.buffer.subarray(0, this.bufferLength).indexOf(TAG, from); k >= 0; k = this.buffer.subarray(0, this.bufferLength).indexOf(TAG, k + 1)) {
      const layout = readEncryptedHeader(this.buffer, k, this.bufferLength);
      if (layout !== null) return k;
    }
    return this.bufferLength;
  }

  /**
   * For the incomplete frame at buffer index `k`: the first complete frame after it that decrypts
   * (an untagged one must also hold a telegram), or null. Candidates already found complete and
   * not decrypting are not tried again, nor bytes already looked at, so waiting for a long frame
   * in small chunks stays linear.
   */
  private async resync(k: number): Promise<{ at: number; length: number; decrypted: DecryptedFrame } | null> {
    const stuck = this.bufferStart + k;
    if (this.stuck !== stuck) {
      this.stuck = stuck;
      this.waiting = [];
      this.probedTo = stuck + 1;
    }
    const candidates = this.waiting;
    this.waiting = [];
    const end = this.bufferStart + this.bufferLength;
    for (let at = this.buffer.subarray(0, this.bufferLength).indexOf(TAG, this.probedTo - this.bufferStart); at >= 0; at = this.buffer.subarray(0, this.bufferLength).indexOf(TAG, at + 1)) {
      candidates.push(this.bufferStart + at);
    }
    this.probedTo = end;
    for (let c = 0; c < candidates.length; c++) {
      const at = candidates[c]! - this.bufferStart;
      const layout = readEncryptedHeader(this.buffer, at, this.bufferLength);
      if (layout === null || layout.length > this.max) continue;
      if (layout === 'more' || at + layout.length > this.bufferLength) {
        // not complete yet: tried again with the next chunk (a bounded number of them)
        if (this.waiting.length < MAX_WAITING) this.waiting.push(candidates[c]!);
        continue;
      }
      try {
        if (!(await plaintextStartsWith(this.buffer.subarray(at, at + layout.length), this.keys, SLASH))) continue;
        const decrypted = await decryptFrame(this.buffer.slice(at, at + layout.length), this.keys);
        if (decrypted.encryption.authenticated || decrypted.plaintext[0] === SLASH) {
          this.stuck = -1;
          return { at, length: layout.length, decrypted };
        }
      } catch (error) {
        if (!(error instanceof DsmrError)) throw error;
      }
    }
    return null;
  }

  private report(items: DecryptedItem[], error: DsmrError, accountedTo: number): void {
    this.rejected++;
    items.push({ error });
    this.accountedTo = Math.max(this.accountedTo, accountedTo);
  }

  /** Counts the bytes before stream offset `to` that are in no frame as skipped. */
  private countSkipped(to: number): void {
    if (to > this.accountedTo) {
      this.skipped += to - this.accountedTo;
      this.accountedTo = to;
    }
  }
}
