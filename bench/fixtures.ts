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
    const part = Buffer.from(meter.next(), 'latin1');
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
