/**
 * The decoder of `protocol: 'auto'`: holds the bytes until they show which protocol they speak
 * (protocol.ts), then hands them, and everything after, to that protocol's decoder. Bounded: past
 * `maxTelegramBytes` of bytes that show nothing, it settles on DSMR (whose decoder then counts
 * them as skipped, as it always did).
 */
import { chunkBytes } from './bytes.js';
import { isFiller } from './dsmr/grammar.js';
import type { DecodedItem, Decoder, DecoderStats } from './items.js';
import { sniffProtocol, type Protocol } from './protocol.js';

export class AutoDecoder implements Decoder {
  private chosen: Decoder | null = null;
  /** the bytes held, `store[0..heldBytes)`: grown by doubling, never joined again per chunk */
  private store = new Uint8Array(256);
  private heldBytes = 0;
  /** garbage counted while nothing is settled: the bytes before `countedTo` that are no filler */
  private skipped = 0;
  private countedTo = 0;
  /** where the search for a frame start goes on */
  private resumeAt = 0;

  constructor(
    private readonly make: (protocol: Protocol) => Decoder,
    private readonly maxHeld: number,
  ) {}

  /** The protocol settled on, `null` while the bytes have not shown it. */
  protocol: Protocol | null = null;

  get stats(): DecoderStats {
    return this.chosen?.stats ?? { telegrams: 0, invalid: 0, skippedBytes: this.skipped, bytes: this.heldBytes };
  }

  push(chunk: Uint8Array | string): DecodedItem[] | Promise<DecodedItem[]> {
    if (this.chosen !== null) return this.chosen.push(chunk);
    const bytes = chunkBytes(chunk);
    if (this.heldBytes + bytes.length > this.store.length) {
      const grown = new Uint8Array(Math.max(this.store.length * 2, this.heldBytes + bytes.length));
      grown.set(this.store.subarray(0, this.heldBytes));
      this.store = grown;
    }
    this.store.set(bytes, this.heldBytes);
    this.heldBytes += bytes.length;
    // look only at what is new, and at a frame start that waited for these bytes
    const { protocol, resumeAt } = sniffProtocol(this.store.subarray(0, this.heldBytes), this.resumeAt);
    this.resumeAt = resumeAt;
    if (protocol === null && this.heldBytes <= this.maxHeld) {
      // no frame starts before resumeAt: garbage, counted as the decoders count it
      for (; this.countedTo < resumeAt; this.countedTo++) if (!isFiller(this.store[this.countedTo]!)) this.skipped++;
      return [];
    }
    return this.settle(protocol ?? 'dsmr').push(this.release());
  }

  flush(): DecodedItem[] | Promise<DecodedItem[]> {
    if (this.chosen !== null) return this.chosen.flush();
    const decoder = this.settle('dsmr');
    const pushed = decoder.push(this.release());
    if (pushed instanceof Promise) return pushed.then(async (items) => [...items, ...(await decoder.flush())]);
    const flushed = decoder.flush();
    return flushed instanceof Promise ? flushed.then((items) => [...pushed, ...items]) : [...pushed, ...flushed];
  }

  private settle(protocol: Protocol): Decoder {
    this.protocol = protocol;
    this.chosen = this.make(protocol);
    return this.chosen;
  }

  private release(): Uint8Array {
    const bytes = this.store.subarray(0, this.heldBytes);
    this.store = new Uint8Array(0);
    return bytes;
  }
}
