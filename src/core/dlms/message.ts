/**
 * From checked transport frames to data-notifications: the frames of a message joined (HDLC
 * segments, M-Bus frames), its general-block-transfer blocks joined, its general-glo-ciphering
 * decrypted. One path for `parseDlms` and the decoding streams.
 */
import { DsmrError } from '../errors.js';
import type { EncryptionInfo } from '../crypto/decrypt.js';
import { DLMS_CIPHERING } from '../crypto/frame-header.js';
import type { DecryptionKeys } from '../crypto/keys.js';
import type { TransportFrame } from './framer.js';
import { HdlcMessages, withoutLlc } from './hdlc.js';
import { MbusMessages } from './mbus.js';
import { BlockTransfer, readDataNotification, type DataNotification } from './notification.js';

export type Transport = 'hdlc' | 'mbus' | 'apdu';

/**
 * Joins a transport's frames into APDUs, and general-block-transfer blocks into the APDU they
 * carry. A message that grows past `maxBytes` (a stream of segments that never ends) is dropped
 * with `FRAME_TOO_LARGE`, so memory stays bounded.
 */
export class ApduAssembler {
  private messages: HdlcMessages | MbusMessages | null;
  private blocks = new BlockTransfer();
  /** bytes held for the message being joined */
  private held = 0;

  constructor(
    readonly transport: Transport,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    this.messages = this.newMessages();
  }

  private newMessages(): HdlcMessages | MbusMessages | null {
    return this.transport === 'hdlc' ? new HdlcMessages() : this.transport === 'mbus' ? new MbusMessages() : null;
  }

  /** The APDU that `frame` completes, or null while more are to come. */
  add(frame: TransportFrame): Uint8Array | null {
    this.held += frame.payload.length;
    if (this.held > this.maxBytes) {
      this.held = 0;
      this.messages = this.newMessages();
      this.blocks = new BlockTransfer();
      throw new DsmrError('FRAME_TOO_LARGE', `a DLMS message grew past ${this.maxBytes} bytes (maxTelegramBytes) before its last frame or block; dropped`);
    }
    const apdu = this.messages === null ? withoutLlc(frame.payload) : this.messages.add(frame);
    if (apdu === null) return null;
    try {
      const joined = this.blocks.add(apdu);
      if (joined !== null) this.held = 0;
      return joined;
    } catch (error) {
      this.held = 0;
      throw error;
    }
  }
}

/** A data-notification, and how its APDU was protected. */
export interface ReadNotification {
  notification: DataNotification;
  encryption: EncryptionInfo | null;
  /** the system title of an encrypted APDU (its first 3 bytes name the manufacturer) */
  systemTitle: Uint8Array | null;
}

/** Whether an APDU is encrypted (general-glo- or general-ded-ciphering). */
export const isEncrypted = (apdu: Uint8Array): boolean => DLMS_CIPHERING.tags.has(apdu[0]!);

/**
 * Reads an APDU: decrypted first when it is general-glo- or general-ded-ciphering (`keys` required, else
 * `ENCRYPTED_NO_KEY`). The decryption code loads only when an APDU needs it.
 */
export async function readApdu(apdu: Uint8Array, keys: DecryptionKeys | null): Promise<ReadNotification> {
  if (!isEncrypted(apdu)) {
    if (keys !== null) throw unencryptedError();
    return { notification: readDataNotification(apdu), encryption: null, systemTitle: null };
  }
  if (keys === null) {
    throw new DsmrError('ENCRYPTED_NO_KEY', 'the DLMS message is encrypted: pass its key and, if your grid operator gives one, its authentication key (decryption: { key, authenticationKey }; CLI: --key, --auth-key)');
  }
  const { decryptFrame } = await import('../crypto/decrypt.js');
  const { plaintext, encryption } = await decryptFrame(apdu, keys, DLMS_CIPHERING);
  return { notification: readDataNotification(plaintext), encryption, systemTitle: apdu.slice(2, 10) };
}

/** A plain message where a key was given: not read, as nothing authenticates it (the DSMR rule too). */
export function unencryptedError(): DsmrError {
  return new DsmrError(
    'UNENCRYPTED_TELEGRAM',
    'the DLMS message is not encrypted: it is not read while a key is given (nothing authenticates it); leave out the key (decryption; CLI: --key) to read it',
  );
}
