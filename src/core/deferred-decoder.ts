/**
 * A decoder whose code loads with the first chunk: the encrypted decoder (the encrypted framer
 * and WebCrypto decryption) and the DLMS decoder are chunks of their own, so an app that reads
 * plain DSMR never loads them (a bundler splits them off); both are asynchronous anyway. Options
 * are checked by the caller when the decoder is made, as the decoder itself would.
 */
import type { DecodedItem, Decoder, DecoderStats } from './items.js';

export class DeferredDecoder implements Decoder {
  private decoder: Decoder | null = null;
  private loading: Promise<Decoder> | null = null;

  constructor(private readonly load: () => Promise<Decoder>) {}

  get stats(): DecoderStats {
    return this.decoder?.stats ?? { telegrams: 0, invalid: 0, skippedBytes: 0, bytes: 0 };
  }

  async push(chunk: Uint8Array | string): Promise<DecodedItem[]> {
    return (await this.loaded()).push(chunk);
  }

  async flush(): Promise<DecodedItem[]> {
    return (await this.loaded()).flush();
  }

  /** Loads once; calls made meanwhile wait in the order they came. */
  private loaded(): Promise<Decoder> {
    this.loading ??= this.load().then((decoder) => (this.decoder = decoder));
    return this.loading;
  }
}
