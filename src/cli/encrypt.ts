/**
 * Encrypts telegrams the way a Smarty meter does (AES-128-GCM, 12-byte tag, security byte 0x30),
 * or without tag (0x20) as some Austrian meters do, for `simulate`.
 */
import { createCipheriv } from 'node:crypto';

export function encryptTelegram(plaintext: Uint8Array, key: Uint8Array, authenticationKey: Uint8Array, frameCounter: number, authenticated = true): Uint8Array {
  const systemTitle = Buffer.from('SAG\x10\x20\x30\x40\x50', 'latin1');
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(frameCounter >>> 0);
  const security = authenticated ? 0x30 : 0x20;
  const cipher = createCipheriv('aes-128-gcm', key, Buffer.concat([systemTitle, counter]), { authTagLength: 12 });
  cipher.setAAD(Buffer.concat([Buffer.from([security]), authenticationKey]));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = authenticated ? cipher.getAuthTag() : Buffer.alloc(0);
  const length = 5 + ciphertext.length + tag.length;
  return new Uint8Array(
    Buffer.concat([Buffer.from([0xdb, 0x08]), systemTitle, Buffer.from([0x82, length >> 8, length & 0xff, security]), counter, ciphertext, tag]),
  );
}
