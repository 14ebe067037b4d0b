/**
 * Encrypted P1 (Luxembourg Smarty; some Austrian meters): a DLMS general-glo-ciphering frame
 *
 * ```
 * DB 08 <system title: 8> <length: 82 LL LL | 81 LL | LL> <security: 30> <frame counter: 4>
 * <ciphertext: the P1 telegram> <GCM tag: 12>
 * ```
 *
 * decrypted with AES-128-GCM: IV = system title ‖ frame counter, AAD = security byte ‖
 * authentication key (Smarty's is public and fixed). WebCrypto (`crypto.subtle`) does the work, so
 * this runs in Node ≥ 20, browsers, Deno and Bun alike.
 */
import { bytesToHex } from '../bytes.js';
import { DsmrError } from '../errors.js';
import { GCM_TAG_BYTES, P1_CIPHERING, isAuthenticated, readEncryptedHeader, type Ciphering } from './frame-header.js';
import { decryptionKeys, type DecryptionKeys, type DecryptionOptions } from './keys.js';

function subtle(): SubtleCrypto {
  const webcrypto = (globalThis as { crypto?: Crypto }).crypto;
  if (webcrypto?.subtle === undefined) {
    throw new DsmrError('DECRYPTION', 'WebCrypto (crypto.subtle) is not available in this runtime; browsers need a secure context (https)');
  }
  return webcrypto.subtle;
}

/** Imported keys, by algorithm, use and key bytes: importKey is slow and frames come every 10 s with the same key. */
const keyCache = new Map<string, Promise<CryptoKey>>();
function importKey(key: Uint8Array, algorithm: 'AES-GCM' | 'AES-CTR', usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  const id = `${algorithm}:${usage}:${bytesToHex(key)}`;
  let imported = keyCache.get(id);
  if (imported === undefined) {
    if (keyCache.size > 64) keyCache.clear();
    imported = subtle().importKey('raw', key as Uint8Array<ArrayBuffer>, { name: algorithm }, false, [usage]);
    keyCache.set(id, imported);
  }
  return imported;
}

/** What decrypting a frame gives: the plaintext, and how it was protected. */
export interface DecryptedFrame {
  plaintext: Uint8Array;
  /** the frame's security: see {@link EncryptionInfo} */
  encryption: EncryptionInfo;
}

/** How an encrypted frame was protected (`telegram.encryption`). */
export interface EncryptionInfo {
  /** The sender's system title, 8 bytes as 16 upper-case hex digits (its first 3 are usually the manufacturer, `SAG`). */
  systemTitle: string;
  /** The frame counter (invocation counter); a meter increments it with every frame. */
  frameCounter: number;
  /**
   * Whether a GCM tag proved the frame unchanged and made with the key. `false` only with
   * `authentication: 'none'`: for frames encrypted without tag, and for DLMS messages whose tag
   * no authentication key was given to check.
   */
  authenticated: boolean;
}

/**
 * Decrypts an encrypted P1 frame and returns the plaintext telegram bytes (`/…!CRC`), to pass to
 * `parseTelegram`.
 *
 * @throws {@link DsmrError} `DECRYPTION` when the bytes are not an encrypted frame, or when the
 *   key or authentication key is wrong or the frame was changed (the GCM tag does not verify);
 *   no plaintext is returned then. `INVALID_OPTION` for keys that are not 16 bytes.
 */
export async function decryptTelegram(frame: Uint8Array, options: DecryptionOptions): Promise<Uint8Array> {
  return (await decryptFrame(frame, decryptionKeys(options))).plaintext;
}

/**
 * Decrypts a general-glo-ciphering frame (`DB 08 …`): a P1 frame, or with `DLMS_CIPHERING` a
 * DLMS APDU (which may also be general-ded-ciphering, `DC 08 …`, and use security suite 1).
 */
export async function decryptFrame(frame: Uint8Array, keys: DecryptionKeys, ciphering: Ciphering = P1_CIPHERING): Promise<DecryptedFrame> {
  if (!(frame instanceof Uint8Array)) throw new DsmrError('INVALID_INPUT', 'decryptTelegram expects the frame as a Uint8Array');
  const layout = readEncryptedHeader(frame, 0, frame.length, ciphering);
  if (layout === null || layout === 'more') {
    const hex = (set: ReadonlySet<number>): string => [...set].map((b) => b.toString(16).toUpperCase()).join(' or ');
    throw new DsmrError('DECRYPTION', `not an encrypted frame: expected ${hex(ciphering.tags)} 08, an 8-byte system title, a length and security byte ${hex(ciphering.security)}`);
  }
  if (frame.length < layout.length) {
    throw new DsmrError('DECRYPTION', `the encrypted frame is cut off: ${frame.length} of ${layout.length} bytes`);
  }
  const authenticated = isAuthenticated(layout.securityControl);
  if (!authenticated && !keys.allowUnauthenticated) {
    throw new DsmrError(
      'AUTHENTICATION_REQUIRED',
      "the frame is encrypted without authentication tag (security byte 0x20), so nothing shows it is unchanged; if your meter sends such frames, pass decryption: { authentication: 'none' } (CLI: --no-authentication)",
    );
  }
  const iv = new Uint8Array(12);
  iv.set(layout.systemTitle);
  iv.set(frame.subarray(layout.securityOffset + 1, layout.securityOffset + 5), 8);
  const payload = frame.slice(layout.securityOffset + 5, layout.length);
  const encryption: EncryptionInfo = { systemTitle: bytesToHex(layout.systemTitle), frameCounter: layout.frameCounter, authenticated };
  if (authenticated && keys.authenticationKey === undefined && !keys.allowUnauthenticated) {
    throw new DsmrError(
      'AUTHENTICATION_REQUIRED',
      "the frame carries a GCM tag, but no authentication key was given to check it: pass decryption.authenticationKey (CLI: --auth-key), or decryption: { authentication: 'none' } (CLI: --no-authentication) to read it unchecked",
    );
  }
  try {
    if (authenticated && keys.authenticationKey !== undefined) {
      let additionalData = new Uint8Array(0);
      if (keys.authenticationKey !== null) {
        additionalData = new Uint8Array(17);
        additionalData[0] = layout.securityControl;
        additionalData.set(keys.authenticationKey, 1);
      }
      return { plaintext: await decryptGcm(keys.key, iv, additionalData, payload), encryption };
    }
    // encryption only, or a tag nobody can check, as the caller allowed: read unchecked
    const ciphertext = authenticated ? payload.subarray(0, payload.length - GCM_TAG_BYTES) : payload;
    return { plaintext: await decryptCtr(keys.key, iv, ciphertext), encryption: { ...encryption, authenticated: false } };
  } catch (cause) {
    if (cause instanceof DsmrError) throw cause;
    throw new DsmrError(
      'DECRYPTION',
      'the frame does not decrypt: the key or the authentication key is wrong, or the frame was changed on the way',
      { cause },
    );
  }
}

/**
 * Whether the plaintext of a frame starts with `byte`, from its first cipher block alone: a cheap
 * check before the full decryption, so that a stream of false headers (each claiming a long
 * frame) costs one block each, not a whole frame. `false` also when the frame cannot be read.
 */
export async function plaintextStartsWith(frame: Uint8Array, keys: DecryptionKeys, byte: number): Promise<boolean> {
  const layout = readEncryptedHeader(frame);
  if (layout === null || layout === 'more' || frame.length < layout.length) return false;
  const start = layout.securityOffset + 5;
  if (layout.length - start < 1) return false;
  const iv = new Uint8Array(12);
  iv.set(layout.systemTitle);
  iv.set(frame.subarray(layout.securityOffset + 1, start), 8);
  try {
    const first = await decryptCtr(keys.key, iv, frame.slice(start, start + 1));
    return first[0] === byte;
  } catch {
    return false;
  }
}

/**
 * AES-GCM decryption with the 96-bit tag of P1 frames. Deno's WebCrypto accepts only 128-bit tags
 * when decrypting (denoland/deno#13536) and throws a `TypeError`; where the runtime refuses the
 * tag length, the tag is checked by {@link verifyShortTag} instead. A wrong key or a changed byte
 * is an `OperationError` (WebCrypto's authentication failure) and is not retried.
 */
async function decryptGcm(key: Uint8Array, iv: Uint8Array, additionalData: Uint8Array, payload: Uint8Array): Promise<Uint8Array> {
  try {
    const plain = await subtle().decrypt(
      { name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: additionalData as Uint8Array<ArrayBuffer>, tagLength: GCM_TAG_BYTES * 8 },
      await importKey(key, 'AES-GCM', 'decrypt'),
      payload as Uint8Array<ArrayBuffer>,
    );
    return new Uint8Array(plain);
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'OperationError') throw error;
  }
  const ciphertext = payload.subarray(0, payload.length - GCM_TAG_BYTES);
  const plaintext = await decryptCtr(key, iv, ciphertext);
  if (!(await verifyShortTag(key, iv, additionalData, plaintext, payload.subarray(ciphertext.length)))) {
    // as WebCrypto reports it, so the message is the same in every runtime
    throw new DOMException('the GCM tag does not match', 'OperationError');
  }
  return plaintext;
}

/**
 * GCM's ciphertext is AES-CTR from the counter block IV ‖ 00000002, so CTR decrypts it (without
 * checking anything).
 */
async function decryptCtr(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array> {
  const counter = new Uint8Array(16);
  counter.set(iv);
  counter[15] = 2;
  const plain = await subtle().decrypt({ name: 'AES-CTR', counter, length: 32 }, await importKey(key, 'AES-CTR', 'decrypt'), ciphertext as Uint8Array<ArrayBuffer>);
  return new Uint8Array(plain);
}

/**
 * Whether `tag` is the frame's GCM tag: a 96-bit tag is the first 12 bytes of the 128-bit one,
 * which encrypting the plaintext again (same key, IV and AAD) yields. Compared in constant time.
 */
async function verifyShortTag(key: Uint8Array, iv: Uint8Array, additionalData: Uint8Array, plaintext: Uint8Array, tag: Uint8Array): Promise<boolean> {
  const sealed = new Uint8Array(
    await subtle().encrypt(
      { name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: additionalData as Uint8Array<ArrayBuffer>, tagLength: 128 },
      await importKey(key, 'AES-GCM', 'encrypt'),
      plaintext as Uint8Array<ArrayBuffer>,
    ),
  );
  const full = sealed.subarray(plaintext.length);
  let difference = 0;
  for (let i = 0; i < tag.length; i++) difference |= tag[i]! ^ full[i]!;
  return tag.length === GCM_TAG_BYTES && difference === 0;
}
