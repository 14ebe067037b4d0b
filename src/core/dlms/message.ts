/**
 * From checked transport frames to data-notifications: the frames of a message joined (HDLC
 * segments, M-Bus frames), its general-block-transfer blocks joined, its general-glo-ciphering
 * decrypted. One path for `parseDlms` and the decoding streams.
 */
import { DsmrError } from '../errors.js';
import type { EncryptionInfo } from '../crypto/decrypt.js';
import { DLMS_SECURITY, TAG } from '../crypto/frame-header.js';
import type { DecryptionKeys } from '../crypto/keys.js';
import type { TransportFrame } from './framer.js';
import { HdlcMessages, withoutLlc } from './hdlc.js';
import { MbusMessages } from './mbus.js';
import { BlockTransfer, readDataNotification, type DataNotification } from './notification.js';

export type Transport = 'hdlc' | 'mbus' | 'apdu';

/** The first byte of each transport's frames. */
export const HDLC_FLAG = 0x7e;
export const MBUS_START = 0x68;

/** Joins a transport's frames into APDUs, and general-block-transfer blocks into the APDU they carry. */
export class ApduAssembler {
  private readonly messages: HdlcMessages | MbusMessages | null;
  private readonly blocks = new BlockTransfer();

  constructor(readonly transport: Transport) {
    this.messages = transport === 'hdlc' ? new HdlcMessages() : transport === 'mbus' ? new MbusMessages() : null;
  }

  /** The APDU that `frame` completes, or null while more are to come. */
  add(frame: TransportFrame): Uint8Array | null {
    const apdu = this.messages === null ? withoutLlc(frame.payload) : this.messages.add(frame);
    return apdu === null ? null : this.blocks.add(apdu);
  }
}

/** A data-notification, and how its APDU was protected. */
export interface ReadNotification {
  notification: DataNotification;
  encryption: EncryptionInfo | null;
  /** the system title of an encrypted APDU (its first 3 bytes name the manufacturer) */
  systemTitle: Uint8Array | null;
}

/** Whether an APDU is encrypted (general-glo-ciphering). */
export const isEncrypted = (apdu: Uint8Array): boolean => apdu[0] === TAG;

/**
 * Reads an APDU: decrypted first when it is general-glo-ciphering (`keys` required, else
 * `ENCRYPTED_NO_KEY`). The decryption code loads only when an APDU needs it.
 */
export async function readApdu(apdu: Uint8Array, keys: DecryptionKeys | null): Promise<ReadNotification> {
  if (!isEncrypted(apdu)) return { notification: readDataNotification(apdu), encryption: null, systemTitle: null };
  if (keys === null) {
    throw new DsmrError('ENCRYPTED_NO_KEY', 'the DLMS message is encrypted (general-glo-ciphering): pass its key (decryption: { key, authenticationKey }; CLI: --key, --ak)');
  }
  const { decryptFrame } = await import('../crypto/decrypt.js');
  const { plaintext, encryption } = await decryptFrame(apdu, keys, DLMS_SECURITY);
  return { notification: readDataNotification(plaintext), encryption, systemTitle: apdu.slice(2, 10) };
}
