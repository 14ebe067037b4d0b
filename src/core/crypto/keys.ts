/**
 * The keys of encrypted P1 and their checks: light, so that a decoder validates its options when
 * it is made while the decryption code itself loads only when a stream needs it.
 */
import { optionsOf, type OptionNames } from '../arguments.js';
import { hexToBytes } from '../bytes.js';
import { DsmrError } from '../errors.js';

/** Keys as 32 hex characters (any case) or 16 bytes. */
export interface DecryptionOptions {
  /** The encryption key (EK) from the grid operator. */
  key: string | Uint8Array;
  /**
   * The authentication key (AK), part of what the GCM tag covers. `null`: the frames' tag covers
   * no additional data at all (not even the security byte), as some test generators make them.
   * @defaultValue Smarty's public {@link SMARTY_AUTHENTICATION_KEY}, `00112233445566778899AABBCCDDEEFF`
   */
  authenticationKey?: string | Uint8Array | null;
  /**
   * `'required'`: only frames with a GCM tag (security byte `0x30`) are read, so nothing changed on
   * the way, and no frame made without the key, gets through; a frame without tag (`0x20`) is
   * `AUTHENTICATION_REQUIRED`. `'none'`: frames that are only encrypted (`0x20`, as some Austrian
   * and Polish meters send) are read too, and their telegram's `encryption.authenticated` is
   * `false`; frames with a tag are still checked. The frame's security byte never decides this:
   * it could have been changed on the way.
   * @defaultValue `'required'`
   */
  authentication?: 'required' | 'none';
}

const DECRYPTION_OPTIONS: OptionNames<DecryptionOptions> = { key: true, authenticationKey: true, authentication: true };

/** Luxembourg Smarty's authentication key, the same for every meter. */
export const SMARTY_AUTHENTICATION_KEY = '00112233445566778899AABBCCDDEEFF';

/** 16 key bytes from 32 hex characters or a Uint8Array; `INVALID_OPTION` otherwise. */
function keyBytes(name: string, key: unknown): Uint8Array {
  if (key instanceof Uint8Array) {
    if (key.length === 16) return key;
    throw new DsmrError('INVALID_OPTION', `${name} must be 16 bytes, got ${key.length}`);
  }
  if (typeof key === 'string') {
    if (key.length !== 32) throw new DsmrError('INVALID_OPTION', `${name} must be 32 hex characters (16 bytes), got ${key.length} characters`);
    const bytes = hexToBytes(key);
    if (bytes !== null) return bytes;
    const bad = [...key].findIndex((c) => !/[0-9A-Fa-f]/.test(c));
    throw new DsmrError('INVALID_OPTION', `${name} must be hex digits (0-9, A-F), but character ${bad + 1} is ${JSON.stringify(key[bad])}`);
  }
  throw new DsmrError('INVALID_OPTION', `${name} must be a hex string or a Uint8Array`);
}

/** Validated keys and policy, so the streams check them once. */
export interface DecryptionKeys {
  key: Uint8Array;
  /** `null`: the tag covers no additional data; `undefined`: not given (DLMS has no default), so a tag cannot be checked */
  authenticationKey: Uint8Array | null | undefined;
  /** whether frames without a tag (security byte 0x20) are read */
  allowUnauthenticated: boolean;
}

/**
 * Checks the keys and policy. Without an authentication key, P1 frames assume Smarty's; DLMS
 * meters have none in common, so none is assumed and a tag cannot be checked.
 */
export function decryptionKeys(options: DecryptionOptions, protocol: 'p1' | 'dlms' = 'p1'): DecryptionKeys {
  if (typeof options !== 'object' || options === null) throw new DsmrError('INVALID_OPTION', 'decryption options must be { key, authenticationKey?, authentication? }');
  const { authentication = 'required' } = optionsOf(options, DECRYPTION_OPTIONS);
  if (authentication !== 'required' && authentication !== 'none') {
    throw new DsmrError('INVALID_OPTION', `decryption.authentication must be 'required' or 'none', got ${JSON.stringify(authentication)}`);
  }
  return {
    key: keyBytes('key', options.key),
    authenticationKey: authenticationKey(options.authenticationKey === undefined && protocol === 'p1' ? SMARTY_AUTHENTICATION_KEY : options.authenticationKey),
    allowUnauthenticated: authentication === 'none',
  };
}

const authenticationKey = (key: string | Uint8Array | null | undefined): Uint8Array | null | undefined => (key == null ? key : keyBytes('authenticationKey', key));
