/**
 * The encrypted decoder as {@link createDecoder} hands it out: its options are checked when it is
 * made, its code (the encrypted framer and WebCrypto decryption, a sixth of the core) is loaded
 * with the first chunk. An app that never decrypts never loads it (a bundler puts it in a chunk of
 * its own); decrypting is asynchronous anyway.
 */
import { validateMaxTelegramBytes } from '../dsmr/framer.js';
import type { DecodedItem, Decoder, DecoderStats } from '../items.js';
import { resolveParseOptions, type DecoderOptions } from '../options.js';
import { decryptionKeys } from './keys.js';

export class DeferredEncryptedDecoder implements Decoder {
  private decoder: Decoder | null = null;
  private loading: Promise<Decoder> | null = null;

  /** @throws {@link DsmrError} `INVALID_OPTION` for a bad option or key, as the decoder itself would. */
  constructor(private readonly options: DecoderOptions) {
    const { maxTelegramBytes, decryption, ...parseOptions } = options;
    resolveParseOptions(parseOptions);
    decryptionKeys(decryption!);
    validateMaxTelegramBytes(maxTelegramBytes);
  }

  get stats(): DecoderStats {
    return this.decoder?.stats ?? { telegrams: 0, invalid: 0, skippedBytes: 0, bytes: 0 };
  }

  async push(chunk: Uint8Array | string): Promise<DecodedItem[]> {
    return (await this.load()).push(chunk);
  }

  async flush(): Promise<DecodedItem[]> {
    return (await this.load()).flush();
  }

  /** Loads once; calls made meanwhile wait in the order they came. */
  private load(): Promise<Decoder> {
    this.loading ??= import('./encrypted-decoder.js').then(({ EncryptedTelegramDecoder }) => (this.decoder = new EncryptedTelegramDecoder(this.options)));
    return this.loading;
  }
}
