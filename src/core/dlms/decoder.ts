/**
 * Decodes a stream of DLMS/COSEM messages (HDLC or M-Bus frames): framer → message and block
 * joining → decryption → data-notification → telegram. Both framers look at the bytes until one
 * finds a good frame; the stream keeps that transport. A bad frame or message is reported and the
 * next one read; an encrypted message without key (or a plain one with a key) is said once.
 */
import { optionsOf } from '../arguments.js';
import { chunkBytes } from '../bytes.js';
import { decryptionKeys, type DecryptionKeys } from '../crypto/keys.js';
import { validateMaxTelegramBytes } from '../dsmr/framer.js';
import { DsmrError } from '../errors.js';
import type { DecodedItem, Decoder, DecoderStats } from '../items.js';
import { DECODER_OPTIONS, resolveParseOptions, type DecoderOptions, type ResolvedParseOptions } from '../options.js';
import { BinaryFramer, type FramerEvent } from './framer.js';
import { HDLC } from './hdlc.js';
import { MBUS } from './mbus.js';
import { ApduAssembler, readApdu, type Transport } from './message.js';
import { dlmsTelegram } from './parse.js';

interface Link {
  transport: Transport;
  framer: BinaryFramer;
  assembler: ApduAssembler;
}

export class DlmsDecoder implements Decoder {
  private readonly options: ResolvedParseOptions;
  private readonly keys: DecryptionKeys | null;
  /** both transports until one finds a good frame */
  private links: Link[];
  private queue: Promise<unknown> = Promise.resolve();
  /** what was said once: an encrypted message without key, a plain one with a key */
  private said = false;
  private delivered = 0;
  private rejected = 0;
  private received = 0;

  /** @throws {@link DsmrError} `INVALID_OPTION` for a bad option or key. */
  constructor(options: DecoderOptions = {}) {
    const { maxTelegramBytes, decryption, protocol: _protocol, ...parseOptions } = optionsOf(options, DECODER_OPTIONS);
    this.options = resolveParseOptions(parseOptions);
    this.keys = decryption === undefined ? null : decryptionKeys(decryption, 'dlms');
    const max = validateMaxTelegramBytes(maxTelegramBytes);
    this.links = (['hdlc', 'mbus'] as const).map((transport) => ({ transport, framer: new BinaryFramer(transport === 'hdlc' ? HDLC : MBUS), assembler: new ApduAssembler(transport, max) }));
  }

  get stats(): DecoderStats {
    return { telegrams: this.delivered, invalid: this.rejected, skippedBytes: Math.min(...this.links.map((l) => l.framer.skippedBytes)), bytes: this.received };
  }

  push(chunk: Uint8Array | string): Promise<DecodedItem[]> {
    const bytes = chunkBytes(chunk);
    return this.inTurn(() => {
      this.received += bytes.length;
      return this.decode((link) => link.framer.push(bytes));
    });
  }

  flush(): Promise<DecodedItem[]> {
    return this.inTurn(() => this.decode((link) => link.framer.flush()));
  }

  /** Runs calls one after the other, as they came. */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(work);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async decode(frame: (link: Link) => FramerEvent[]): Promise<DecodedItem[]> {
    const items: DecodedItem[] = [];
    for (const link of this.links) {
      const events = frame(link);
      if (this.links.length > 1 && events.some((e) => e.type === 'frame')) {
        // a good frame settles the transport
        this.links = [link];
      }
      for (const event of events) {
        if (event.type === 'error') {
          this.reject(items, event.error);
          continue;
        }
        const { offset } = event.frame;
        let apdu: Uint8Array | null;
        try {
          apdu = link.assembler.add(event.frame);
        } catch (error) {
          this.reject(items, asDsmrError(error).withFrame(event.frame.payload, offset));
          continue;
        }
        if (apdu !== null) await this.read(items, apdu, link.transport, offset);
      }
      if (this.links.length === 1) break;
    }
    return items;
  }

  private async read(items: DecodedItem[], apdu: Uint8Array, transport: Transport, offset: number): Promise<void> {
    try {
      const telegram = dlmsTelegram(await readApdu(apdu, this.keys), transport, this.options);
      this.delivered++;
      items.push({ telegram });
    } catch (error) {
      const dsmrError = asDsmrError(error).withFrame(apdu, offset);
      // said once a stream: every message would say the same
      const setup = dsmrError.code === 'ENCRYPTED_NO_KEY' || dsmrError.code === 'UNENCRYPTED_TELEGRAM';
      if (setup && this.said) {
        this.rejected++;
        return;
      }
      if (setup) this.said = true;
      this.reject(items, dsmrError);
    }
  }

  private reject(items: DecodedItem[], error: DsmrError): void {
    this.rejected++;
    items.push({ error });
  }
}

/** Only DsmrError leaves the library: anything else here is a defect, surfaced as such. */
function asDsmrError(error: unknown): DsmrError {
  if (error instanceof DsmrError) return error;
  throw error;
}
