/**
 * Decoders: bytes in, parsed telegrams and bad-telegram errors out. The transport-free cores that
 * the Node stream, the Web stream and the async iterator wrap (see src/stream/deliver.ts).
 */
import { optionsOf } from './arguments.js';
import { AutoDecoder } from './auto-decoder.js';
import { decryptionKeys } from './crypto/keys.js';
import { DeferredDecoder } from './deferred-decoder.js';
import { validateMaxTelegramBytes } from './dsmr/framer.js';
import { TelegramDecoder } from './dsmr/text-decoder.js';
import type { Decoder } from './items.js';
import { DECODER_OPTIONS, resolveParseOptions, type DecoderOptions } from './options.js';
import { validateProtocol, type Protocol } from './protocol.js';

export type { DecodedItem, Decoder, DecoderStats } from './items.js';
export type { DecoderOptions } from './options.js';
export { TelegramDecoder } from './dsmr/text-decoder.js';

/**
 * The decoder for the options: for the `protocol` they name, or (`'auto'`, the default) for the
 * protocol the bytes show. DSMR: plain, or decrypting when `decryption` is given (an
 * {@link EncryptedTelegramDecoder}); DLMS: HDLC or M-Bus frames. The decrypting and DLMS decoders
 * load their code with the first chunk that needs them.
 * @throws {@link DsmrError} `INVALID_OPTION` for a bad option or key.
 */
export function createDecoder(options: DecoderOptions = {}): Decoder {
  const { maxTelegramBytes, decryption, protocol: protocolOption, ...parseOptions } = optionsOf(options, DECODER_OPTIONS);
  // checked now, as the decoders themselves would, however late they load
  const protocol = validateProtocol(protocolOption);
  resolveParseOptions(parseOptions);
  const max = validateMaxTelegramBytes(maxTelegramBytes);
  if (decryption !== undefined) decryptionKeys(decryption);
  const make = (chosen: Protocol): Decoder => (chosen === 'dsmr' ? dsmrDecoder(options) : new DeferredDecoder(async () => new (await import('./dlms/decoder.js')).DlmsDecoder(options)));
  return protocol === 'auto' ? new AutoDecoder(make, max) : make(protocol);
}

function dsmrDecoder(options: DecoderOptions): Decoder {
  if (options.decryption === undefined) return new TelegramDecoder(options);
  return new DeferredDecoder(async () => new (await import('./crypto/encrypted-decoder.js')).EncryptedTelegramDecoder(options));
}
