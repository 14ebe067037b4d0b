import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { decodeLatin1, encodeText } from '../src/core/bytes.js';

test.prop([fc.uint8Array({ maxLength: 300 })])('decodeLatin1 maps every byte to the character of the same code, and back', (bytes) => {
  const text = decodeLatin1(bytes);
  expect(text.length).toBe(bytes.length);
  for (let i = 0; i < bytes.length; i++) expect(text.charCodeAt(i)).toBe(bytes[i]);
  expect(encodeText(text)).toEqual(bytes);
});

/** Bytes that are ASCII, or nearly: with UTF-8 characters, a BOM, U+FFFD's encoding or a stray byte among them. */
const nearlyAscii = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((text) => new TextEncoder().encode(text)) },
      fc.string({ unit: 'binary', maxLength: 4 }).map((text) => new TextEncoder().encode(text)),
      fc.constantFrom(Uint8Array.of(0xef, 0xbb, 0xbf), Uint8Array.of(0xef, 0xbf, 0xbd)),
      fc.uint8Array({ minLength: 1, maxLength: 2 }),
    ),
    { maxLength: 8 },
  )
  .map((parts) => Uint8Array.from(parts.flatMap((part) => [...part])));

test.prop([nearlyAscii])('decodeLatin1 gives one character per byte for ASCII and for what only looks like text', (bytes) => {
  const text = decodeLatin1(bytes);
  expect(text.length).toBe(bytes.length);
  for (let i = 0; i < bytes.length; i++) expect(text.charCodeAt(i)).toBe(bytes[i]);
});

test.prop([fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat()])('decodeLatin1 of a range equals decoding the subarray', (bytes, a, b) => {
  const start = a % (bytes.length + 1);
  const end = start + (b % (bytes.length - start + 1));
  expect(decodeLatin1(bytes, start, end)).toBe(decodeLatin1(bytes.slice(start, end)));
});
