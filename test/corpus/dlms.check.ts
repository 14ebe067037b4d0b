/**
 * A check run by hand against a corpus of real DLMS/COSEM messages kept outside this repository
 * (its files are not ours to copy): every message decodes and every ground-truth value is right.
 *
 *   DLMS_CORPUS=path/to/dlms npm run check:dlms
 *
 * The folder holds `manifest.json` (entries: `file` with the message as hex, `key`, `auth_key`,
 * `expected` with values by OBIS code, as described in its README) and the files it names. Not
 * part of `npm test`: the tests build their own frames.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptFrame } from '../../src/core/crypto/decrypt.js';
import { DLMS_CIPHERING } from '../../src/core/crypto/frame-header.js';
import { decryptionKeys } from '../../src/core/crypto/keys.js';
import { BinaryFramer } from '../../src/core/dlms/framer.js';
import { HDLC } from '../../src/core/dlms/hdlc.js';
import { MBUS } from '../../src/core/dlms/mbus.js';
import { ApduAssembler } from '../../src/core/dlms/message.js';
import { parseDlms, type DlmsTelegram } from '../../src/index.js';

const root = process.env.DLMS_CORPUS;
if (root === undefined) throw new Error('set DLMS_CORPUS to the corpus folder (with manifest.json)');

type Expectation = string | { value: number; unit: string; tol?: number } | { raw: number } | { iso: string; utc?: string };
interface Entry {
  file: string;
  key?: string | null;
  auth_key?: string | null;
  expected: {
    obis?: Record<string, Expectation>;
    list_id?: string;
    apdu_datetime?: { iso: string; utc?: string };
    plaintext_hex?: string;
    gcm_tag?: 'valid';
    object_count?: number;
  };
}

const entries = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Entry[];
const bytesOf = (file: string): Uint8Array => new Uint8Array(Buffer.from(readFileSync(join(root, file), 'utf8').replace(/\s+/g, ''), 'hex'));

/** How a unit of the corpus converts to ours: a factor (W = 0.001 kW). */
const UNITS: Record<string, [ours: string, factor: number]> = {
  W: ['W', 1],
  kW: ['W', 1000],
  var: ['var', 1],
  Wh: ['Wh', 1],
  kWh: ['Wh', 1000],
  varh: ['varh', 1],
  kvarh: ['varh', 1000],
  V: ['V', 1],
  A: ['A', 1],
};

/** The wall clock of an instant in Central European time, as the corpus writes it. */
const wallClock = (date: Date): string => new Date(date.getTime() + offsetOf(date)).toISOString().slice(0, 19);
const offsetOf = (date: Date): number => {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Amsterdam', timeZoneName: 'longOffset' }).formatToParts(date);
  const match = /GMT([+-])(\d\d):(\d\d)/.exec(parts.find((p) => p.type === 'timeZoneName')!.value);
  return match === null ? 0 : (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000;
};

/** The decrypted APDU of an encrypted message (internals: the library hands out telegrams, not plaintext). */
async function plaintextOf(bytes: Uint8Array, key: string): Promise<Uint8Array> {
  const transport = bytes[0] === 0x7e ? 'hdlc' : 'mbus';
  const framer = new BinaryFramer(transport === 'hdlc' ? HDLC : MBUS);
  const assembler = new ApduAssembler(transport);
  let apdu: Uint8Array | null = null;
  for (const event of framer.push(bytes)) if (event.type === 'frame') apdu = assembler.add(event.frame) ?? apdu;
  const keys = { ...decryptionKeys({ key, authentication: 'none' }, 'dlms') };
  return (await decryptFrame(apdu!, keys, DLMS_CIPHERING)).plaintext;
}

let compared = 0;

describe.each(entries.map((e) => [e.file, e] as const))('%s', (_file, e) => {
  it('decodes with every ground-truth value right', async () => {
    const decryption = e.key == null ? undefined : e.auth_key == null ? { key: e.key, authentication: 'none' as const } : { key: e.key, authenticationKey: e.auth_key };
    const t: DlmsTelegram = await parseDlms(bytesOf(e.file), decryption === undefined ? {} : { decryption });
    const { expected } = e;
    for (const [obis, want] of Object.entries(expected.obis ?? {})) {
      const object = t.objects.find((o) => o.obis === obis);
      expect(object, `${obis} in ${t.objects.map((o) => o.raw).join(' ')}`).toBeDefined();
      const value = object!.values[0]!;
      compared++;
      if (typeof want === 'string') {
        expect(value.raw, obis).toBe(want);
      } else if ('value' in want) {
        const [unit, factor] = UNITS[want.unit]!;
        expect(value.unit, `${obis} unit`).toBe(unit);
        expect(Math.abs(Number(value.raw) - want.value * factor), `${obis}: ${value.raw} vs ${want.value} ${want.unit}`).toBeLessThanOrEqual((want.tol ?? 1e-9) * factor);
      } else if ('raw' in want) {
        // the register as sent: our text is it with the decimal point moved by the scaler
        // (scaler < 0: a point put in; scaler > 0: zeros appended)
        const digits = value.raw.replace('.', '').replace(/^(-?)0+(?=\d)/, '$1');
        expect(new RegExp(`^${want.raw}0*$`).test(digits), `${obis}: ${value.raw} vs register ${want.raw}`).toBe(true);
      } else {
        expect(value.raw.slice(0, 19), obis).toBe(want.iso);
        if (want.utc !== undefined) expect(new Date(value.raw).toISOString().slice(0, 19), obis).toBe(want.utc.slice(0, 19));
      }
    }
    if (expected.list_id !== undefined) {
      compared++;
      expect(t.dlms.listId).toBe(expected.list_id);
    }
    if (expected.apdu_datetime !== undefined) {
      compared++;
      expect(wallClock(t.dlms.time!)).toBe(expected.apdu_datetime.iso);
      if (expected.apdu_datetime.utc !== undefined) expect(t.dlms.time!.toISOString().slice(0, 19)).toBe(expected.apdu_datetime.utc.slice(0, 19));
    }
    if (expected.gcm_tag === 'valid') {
      compared++;
      expect(t.encryption?.authenticated).toBe(true);
    }
    if (expected.object_count !== undefined) {
      compared++;
      // the sources count the objects with OBIS codes
      expect(t.objects.filter((o) => o.obis !== '')).toHaveLength(expected.object_count);
    }
    if (expected.plaintext_hex !== undefined) {
      compared++;
      expect(Buffer.from(await plaintextOf(bytesOf(e.file), e.key!)).toString('hex').toUpperCase()).toBe(expected.plaintext_hex.replace(/\s+/g, '').toUpperCase());
    }
  });
});

it('compares every expected value', () => {
  console.log(`DLMS corpus: ${entries.length} messages, ${compared} expected values compared`);
});
