/**
 * A real frame from a real meter, found in a public test suite (test/fixtures/dlms/README.md),
 * read by parseDlms and by a stream. The expected values are worked out by hand from its bytes
 * and Kaifa's KFM_001 list documentation: currents in mA, voltages in 0.1 V, power in W.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDlms, readTelegrams } from '../src/index.js';

const hex = (name: string): Uint8Array => Uint8Array.from(Buffer.from(readFileSync(new URL(`./fixtures/dlms/${name}`, import.meta.url), 'utf8').replace(/\s+/g, ''), 'hex'));

describe('Kaifa MA304H3E, Norwegian HAN list 2 (seesharper/HANReader)', () => {
  const frame = hex('kaifa-ma304h3e-list2.hex');

  it('reads every value of the list', async () => {
    const t = await parseDlms(frame);
    expect(t.dlms).toMatchObject({ transport: 'hdlc', listId: 'KFM_001', convention: 'Kaifa KFM_001', invokeId: 0x40000000 });
    expect(t.equipmentId).toBe('6970631403082809');
    expect(t.meterType).toBe('MA304H3E');
    // 09 0C 07E4 08 0B 02 0D 36 28 FF 8000 00: Tuesday 2020-08-11 13:54:40, no DST bit but August: CEST
    expect(t.timestamp).toEqual(new Date('2020-08-11T11:54:40Z'));
    // 06 0000082D: 2093 W; 06 000000DA: 218 var
    expect(t.electricity.power).toEqual({ imported: 2.093, exported: 0 });
    expect(t.electricity.reactivePower).toEqual({ imported: 0.218, exported: 0 });
    // currents 0786, 1D25, 1AD3 mA; voltages 0974, 0000, 096F in 0.1 V (an IT network: no L2 voltage)
    expect(t.electricity.phases.map((p) => [p.phase, p.current, p.voltage])).toEqual([
      [1, 1.926, 242],
      [2, 7.461, 0],
      [3, 6.867, 241.5],
    ]);
    expect(t.objects.map((o) => o.raw)).toContain('1-0:72.7.0(241.5*V)');
    expect(t.warnings).toEqual([]);
  });

  it('comes whole out of a stream that cuts it byte by byte', async () => {
    const bytes = Array.from(frame, (b) => Uint8Array.of(b));
    const telegrams = [];
    for await (const t of readTelegrams([Uint8Array.of(0x00, 0x13), ...bytes, ...bytes])) telegrams.push(t);
    expect(telegrams.map((t) => t.electricity.power.imported)).toEqual([2.093, 2.093]);
  });
});
