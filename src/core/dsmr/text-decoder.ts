/** Decodes plain (unencrypted) telegrams: bytes → 7E1 detection → framer → parser. */
import { optionsOf } from '../arguments.js';
import { chunkBytes } from '../bytes.js';
import { EncryptedFrameSpotter } from '../crypto/frame-header.js';
import type { DecodedItem, Decoder, DecoderStats } from '../items.js';
import { DECODER_OPTIONS, resolveParseOptions, type DecoderOptions, type ResolvedParseOptions } from '../options.js';
import { TelegramFramer, type FramerEvent } from './framer.js';
import { ParityStripper } from './parity.js';
import { parseFrame } from './parse.js';

/** Decodes plain (unencrypted) telegrams. {@link createDecoder} returns one without `decryption`. */
export class TelegramDecoder implements Decoder {
  private readonly framer: TelegramFramer;
  private readonly options: ResolvedParseOptions;
  private readonly parity = new ParityStripper();
  /** encrypted frames cannot be read here: said once, when the first is seen */
  private readonly encrypted = new EncryptedFrameSpotter();
  private delivered = 0;
  private rejected = 0;
  private received = 0;

  /** @throws {@link DsmrError} `INVALID_OPTION` for a bad option. */
  constructor(options: DecoderOptions = {}) {
    const { maxTelegramBytes, decryption: _decryption, protocol: _protocol, ...parseOptions } = optionsOf(options, DECODER_OPTIONS);
    this.options = resolveParseOptions(parseOptions);
    this.framer = new TelegramFramer(maxTelegramBytes === undefined ? {} : { maxTelegramBytes });
  }

  /** Counters so far. */
  get stats(): DecoderStats {
    return { telegrams: this.delivered, invalid: this.rejected, skippedBytes: this.framer.skippedBytes, bytes: this.received };
  }

  /** Decodes a chunk: a string counts as one byte per character (UTF-8 for wider characters). */
  push(chunk: Uint8Array | string): DecodedItem[] {
    const bytes = chunkBytes(chunk);
    this.received += bytes.length;
    const spotted = this.encrypted.push(bytes);
    const items = this.decode(this.framer.push(this.parity.push(bytes)));
    if (spotted !== null) {
      this.rejected++;
      items.unshift({ error: spotted });
    }
    return items;
  }

  /** Ends the input: reports a telegram cut off at the end. */
  flush(): DecodedItem[] {
    const held = this.parity.flush();
    return this.decode([...(held.length > 0 ? this.framer.push(held) : []), ...this.framer.flush()]);
  }

  private decode(events: FramerEvent[]): DecodedItem[] {
    const items: DecodedItem[] = [];
    for (const event of events) {
      if (event.type === 'error') {
        this.rejected++;
        items.push({ error: event.error });
        continue;
      }
      const item = parseFrame(event.bytes, event.offset, this.options, this.parity.stripping, { crc: event.crc, length: event.crcLength });
      if ('telegram' in item) this.delivered++;
      else this.rejected++;
      items.push(item);
    }
    return items;
  }
}
