/** What the benchmarks run on: real captures of each kind, and generated streams. */
import { readFileSync } from 'node:fs';
import { MeterSimulator } from '../src/cli/simulator.js';

export const capture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../test/fixtures/captures/${name}`, import.meta.url)));

/** One real telegram per kind the benchmarks issue names. */
export const TELEGRAMS = [
  { kind: 'DSMR 2.2', file: '03-iskra-mt382-1003-dsmr22.txt' },
  { kind: 'DSMR 4.2', file: '15-kaifa-kfm5-dsmr42-hyperion.txt' },
  { kind: 'DSMR 5.0', file: '20-iskra-mt382-dsmr50-ndokter.txt' },
  { kind: 'Belgian e-MUCS', file: '29-fluvius-flu5-emucs171.txt' },
  { kind: 'Smarty (plaintext)', file: '34-smarty-lux-values-without-units.txt' },
].map((t) => ({ ...t, bytes: capture(t.file) }));

/** A stream of `bytes` (or more) of distinct simulated DSMR 5 telegrams, and how many. */
export function telegramStream(bytes: number, seed = 1): { data: Uint8Array; telegrams: number } {
  const meter = new MeterSimulator({ profile: 'nl5', seed, start: new Date('2024-01-01T00:00:00Z') });
  const parts: Buffer[] = [];
  let size = 0;
  while (size < bytes) {
    const part = Buffer.from(meter.nextBytes());
    parts.push(part);
    size += part.length;
  }
  return { data: new Uint8Array(Buffer.concat(parts)), telegrams: parts.length };
}

export function chunks(data: Uint8Array, size = 64 * 1024): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += size) out.push(data.subarray(at, at + size));
  return out;
}

/**
 * A telegram of `lines` data lines with distinct OBIS codes (a decimal with a unit each, codes the
 * registry does not type: the cost of the grammar and the object list), with a correct CRC.
 */
export function telegramOfLines(lines: number, crc16: (bytes: Uint8Array) => number): Uint8Array {
  let text = '/ISK5\\2M550T-1012\r\n\r\n';
  for (let i = 0; i < lines; i++) text += `1-${1 + (i % 50)}:${1 + Math.floor(i / 50)}.8.0(${String(100000 + i * 7).padStart(6, '0')}.${String(i % 1000).padStart(3, '0')}*kWh)\r\n`;
  text += '!';
  const crc = crc16(Buffer.from(text, 'latin1')).toString(16).toUpperCase().padStart(4, '0');
  return new Uint8Array(Buffer.from(`${text}${crc}\r\n`, 'latin1'));
}
