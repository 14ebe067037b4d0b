/**
 * The header of an encrypted P1 frame, `DB 08 <system title> <length> <security byte> <frame
 * counter>`: reading it, and spotting frames in a stream that a plain decoder cannot read. Light
 * (no WebCrypto), so plain decoders can say "encrypted: pass the key" without loading decryption.
 */
import { DsmrError } from '../errors.js';

/** the first byte of a frame (general-glo-ciphering) */
export const TAG = 0xdb;
/** general-ded-ciphering: the same layout, with the dedicated key of an association (DLMS only) */
const DED_TAG = 0xdc;
const TITLE_LENGTH = 8;
export const GCM_TAG_BYTES = 12;
/** security control: encrypted and authenticated (suite 0) */
export const ENCRYPTED_AUTHENTICATED = 0x30;
/** security control: encrypted only, no tag */
const ENCRYPTED_ONLY = 0x20;
/** security control bit: a GCM tag authenticates the frame */
const AUTHENTICATED_BIT = 0x10;

/** The encrypted APDUs a reader takes: their first bytes and security control bytes. */
export interface Ciphering {
  readonly tags: ReadonlySet<number>;
  readonly security: ReadonlySet<number>;
}

/** P1 (Smarty) frames: general-glo-ciphering in security suite 0 only. */
export const P1_CIPHERING: Ciphering = /* @__PURE__ */ Object.freeze({ tags: new Set([TAG]), security: new Set([ENCRYPTED_AUTHENTICATED, ENCRYPTED_ONLY]) });
/**
 * DLMS meters: general-glo- and general-ded-ciphering, in suites 0 and 1 (`21`, `31`), whose data
 * frames are AES-GCM-128 as suite 0's.
 */
export const DLMS_CIPHERING: Ciphering = /* @__PURE__ */ Object.freeze({ tags: new Set([TAG, DED_TAG]), security: new Set([0x20, 0x21, 0x30, 0x31]) });

/** Whether a security control byte says a GCM tag authenticates the frame. */
export const isAuthenticated = (securityControl: number): boolean => (securityControl & AUTHENTICATED_BIT) !== 0;

/** Where the parts of an encrypted frame are. */
export interface EncryptedFrameLayout {
  systemTitle: Uint8Array;
  frameCounter: number;
  securityControl: number;
  /** offset of the security byte */
  securityOffset: number;
  /** total frame length in bytes */
  length: number;
}

/**
 * Reads the header of an encrypted frame at `offset`: its layout, `'more'` when `bytes` end
 * before the header does, or `null` when the bytes there are not such a header.
 */
export function readEncryptedHeader(bytes: Uint8Array, offset = 0, end = bytes.length, ciphering: Ciphering = P1_CIPHERING): EncryptedFrameLayout | 'more' | null {
  const at = (i: number): number => bytes[offset + i]!;
  if (end - offset < 2) return 'more';
  if (!ciphering.tags.has(at(0)) || at(1) !== TITLE_LENGTH) return null;
  if (end - offset < 11) return 'more';
  let lengthBytes: number;
  let length: number;
  const form = at(10);
  if (form === 0x82) {
    if (end - offset < 13) return 'more';
    lengthBytes = 3;
    length = (at(11) << 8) | at(12);
  } else if (form === 0x81) {
    if (end - offset < 12) return 'more';
    lengthBytes = 2;
    length = at(11);
  } else if (form < 0x80) {
    lengthBytes = 1;
    length = form;
  } else {
    return null;
  }
  const securityOffset = 10 + lengthBytes;
  if (end - offset < securityOffset + 5) return 'more';
  const securityControl = at(securityOffset);
  const minimum = 5 + (isAuthenticated(securityControl) ? GCM_TAG_BYTES : 0);
  if (!ciphering.security.has(securityControl) || length < minimum) return null;
  const counter = ((at(securityOffset + 1) << 24) | (at(securityOffset + 2) << 16) | (at(securityOffset + 3) << 8) | at(securityOffset + 4)) >>> 0;
  return {
    systemTitle: bytes.slice(offset + 2, offset + 10),
    frameCounter: counter,
    securityControl,
    securityOffset,
    length: securityOffset + length,
  };
}

const isAsciiLetter = (byte: number): boolean => ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7a);

/**
 * A system title begins with the maker's three-letter FLAG id (`SAG` for Sagemcom): asked of a
 * header only when guessing, so that random bytes holding `DB 08` are not taken for a frame.
 */
export const namesAManufacturer = (title: Uint8Array): boolean => isAsciiLetter(title[0]!) && isAsciiLetter(title[1]!) && isAsciiLetter(title[2]!);

/**
 * Spots the first encrypted frame header in a byte stream, however it is cut: for a decoder
 * without key, to report `ENCRYPTED_NO_KEY` once. Holds at most the 17 bytes of a header begun at
 * the end of a chunk; a native search for `DB`, so plain telegrams (which hold no such byte) cost
 * next to nothing.
 */
export class EncryptedFrameSpotter {
  private spotted = false;
  private held = new Uint8Array(0);
  /** the stream offset after the last chunk */
  private position = 0;

  /** The report for the first frame header, in the chunk that completes it; else null. */
  push(chunk: Uint8Array): DsmrError | null {
    const base = this.position - this.held.length;
    this.position += chunk.length;
    if (this.spotted) return null;
    let bytes = chunk;
    if (this.held.length > 0) {
      bytes = new Uint8Array(this.held.length + chunk.length);
      bytes.set(this.held);
      bytes.set(chunk, this.held.length);
      this.held = new Uint8Array(0);
    }
    for (let k = bytes.indexOf(TAG); k >= 0; k = bytes.indexOf(TAG, k + 1)) {
      const layout = readEncryptedHeader(bytes, k);
      if (layout === null || (layout !== 'more' && !namesAManufacturer(layout.systemTitle))) continue;
      if (layout === 'more') {
        // the header goes on in the next chunk
        this.held = bytes.slice(k);
        return null;
      }
      this.spotted = true;
      return new DsmrError(
        'ENCRYPTED_NO_KEY',
        'the input holds encrypted frames (DB 08 …, as Luxembourg Smarty meters send): reading them needs the key from your grid operator (decryption: { key }; CLI: --key)',
        { frame: bytes.slice(k, Math.min(bytes.length, k + layout.length)), frameOffset: base + k },
      );
    }
    return null;
  }
}
