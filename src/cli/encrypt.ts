/** Encrypts telegrams the way a Smarty meter does (AES-128-GCM, 12-byte tag), for `simulate`. */
import { createCipheriv } from 'node:crypto';

export function encryptTelegram(plaintext: Uint8Array, key: Uint8Array, authenticationKey: Uint8Array, frameCounter: number): Uint8Array {
  const systemTitle = Buffer.from('SAG\x10\x20\x30\x40\x50', 'latin1');
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(frameCounter >>> 0);
  const cipher = createCipheriv('aes-128-gcm', key, Buffer.concat([systemTitle, counter]), { authTagLength: 12 });
  cipher.setAAD(Buffer.concat([Buffer.from([0x30]), authenticationKey]));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const length = 5 + ciphertext.length + 12;
  return new Uint8Array(
    Buffer.concat([Buffer.from([0xdb, 0x08]), systemTitle, Buffer.from([0x82, length >> 8, length & 0xff, 0x30]), counter, ciphertext, cipher.getAuthTag()]),
  );
}
