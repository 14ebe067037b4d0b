/**
 * Decoders: bytes in, parsed telegrams and bad-telegram errors out. The transport-free cores that
 * the Node stream, the Web stream and the async iterator wrap (see src/stream/deliver.ts).
 */
import { DeferredEncryptedDecoder } from './crypto/deferred-decoder.js';
import { TelegramDecoder } from './dsmr/text-decoder.js';
import type { Decoder } from './items.js';
import type { DecoderOptions } from './options.js';

export type { DecodedItem, Decoder, DecoderStats } from './items.js';
export type { DecoderOptions } from './options.js';
export { TelegramDecoder } from './dsmr/text-decoder.js';

/**
 * The decoder for the options: plain, or decrypting when `decryption` is given (an
 * {@link EncryptedTelegramDecoder}, whose code loads with the first chunk).
 * @throws {@link DsmrError} `INVALID_OPTION` for a bad option or key.
 */
export function createDecoder(options: DecoderOptions = {}): Decoder {
  return options.decryption === undefined ? new TelegramDecoder(options) : new DeferredEncryptedDecoder(options);
}
