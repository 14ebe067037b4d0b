/** Builds encrypted P1 frames with node:crypto, independently of the library's WebCrypto decryption. */
import { createCipheriv } from 'node:crypto';

export interface EncryptOptions {
  key: Buffer;
  authenticationKey?: Buffer;
  systemTitle?: Buffer;
  frameCounter?: number;
  /** 0x30: encrypted and authenticated (Smarty); 0x20: encrypted only, no tag; 0x31, 0x21: the same in security suite 1 (DLMS meters) */
  securityControl?: 0x30 | 0x20 | 0x31 | 0x21;
  /** BER length form */
  lengthForm?: 0x82 | 0x81 | 'short';
  /** the APDU tag: general-glo-ciphering (DB, default) or general-ded-ciphering (DC) */
  tag?: 0xdb | 0xdc;
}

export const SMARTY_AK = Buffer.from('00112233445566778899AABBCCDDEEFF', 'hex');

export function encryptFrame(plaintext: Uint8Array, options: EncryptOptions): Uint8Array {
  const { key, authenticationKey = SMARTY_AK, systemTitle = Buffer.from('SAG\x10\x20\x30\x40\x50', 'latin1'), frameCounter = 1 } = options;
  const securityControl = options.securityControl ?? 0x30;
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(frameCounter);
  const iv = Buffer.concat([systemTitle, counter]);
  const cipher = createCipheriv('aes-128-gcm', key, iv, { authTagLength: 12 });
  const tagged = (securityControl & 0x10) !== 0;
  if (tagged) cipher.setAAD(Buffer.concat([Buffer.from([securityControl]), authenticationKey]));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = tagged ? cipher.getAuthTag() : Buffer.alloc(0);
  const length = 5 + ciphertext.length + tag.length;
  const form = options.lengthForm ?? 0x82;
  const lengthBytes =
    form === 0x82 ? Buffer.from([0x82, length >> 8, length & 0xff]) : form === 0x81 ? Buffer.from([0x81, length]) : Buffer.from([length]);
  return new Uint8Array(Buffer.concat([Buffer.from([options.tag ?? 0xdb, 0x08]), systemTitle, lengthBytes, Buffer.from([securityControl]), counter, ciphertext, tag]));
}
