import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { decodeLatin1, encodeText } from '../src/core/bytes.js';

test.prop([fc.uint8Array({ maxLength: 300 })])('decodeLatin1 maps every byte to the character of the same code, and back', (bytes) => {
  const text = decodeLatin1(bytes);
  expect(text.length).toBe(bytes.length);
  for (let i = 0; i < bytes.length; i++) expect(text.charCodeAt(i)).toBe(bytes[i]);
  expect(encodeText(text)).toEqual(bytes);
});

test.prop([fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat()])('decodeLatin1 of a range equals decoding the subarray', (bytes, a, b) => {
  const start = a % (bytes.length + 1);
  const end = start + (b % (bytes.length - start + 1));
  expect(decodeLatin1(bytes, start, end)).toBe(decodeLatin1(bytes.slice(start, end)));
});
