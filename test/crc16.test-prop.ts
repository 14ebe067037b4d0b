import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { crc16 } from '../src/index.js';
import { crc16Bitwise } from './helpers/crc-reference.js';

test.prop([fc.uint8Array({ maxLength: 600 })])('equals the bitwise reference for any bytes', (bytes) => {
  expect(crc16(bytes)).toBe(crc16Bitwise(bytes));
});

test.prop([fc.uint8Array({ maxLength: 600 }), fc.nat()])('over two chunks equals over the whole', (bytes, cut) => {
  const at = bytes.length === 0 ? 0 : cut % (bytes.length + 1);
  expect(crc16(bytes.subarray(at), crc16(bytes.subarray(0, at)))).toBe(crc16(bytes));
});

test.prop([fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 12 })])('over any chunking equals over the whole', (chunks) => {
  let running = 0;
  for (const chunk of chunks) running = crc16(chunk, running);
  const whole = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.length;
  }
  expect(running).toBe(crc16(whole));
});
