/**
 * One scenario for every JavaScript runtime: Node, Deno and Bun run this same file against the
 * installed package and must print the same JSON. Plain JavaScript, so no runtime needs a
 * TypeScript loader. Inputs, in the working directory: `stream.bin` (telegrams, a damaged one,
 * garbage), `encrypted.bin` (an encrypted frame), `encrypted-stream.bin` (that frame, a copy with
 * a changed tag, the frame again) and `keys.json` (their keys).
 */
import { readFileSync } from 'node:fs';
import { createTelegramStream } from 'dsmr-p1';
import { DsmrError, TelegramDecoderStream, crc16, decryptTelegram, formatTelegram, parseTelegram, readTelegrams, safeParseTelegram } from 'dsmr-p1/web';

const stream = new Uint8Array(readFileSync('stream.bin'));
const encrypted = new Uint8Array(readFileSync('encrypted.bin'));
const encryptedStream = new Uint8Array(readFileSync('encrypted-stream.bin'));
const keys = JSON.parse(readFileSync('keys.json', 'utf8'));

/** Uneven chunks of 1 to 97 bytes, as a serial port delivers them. */
function chunked(bytes, seed) {
  const chunks = [];
  for (let at = 0; at < bytes.length; ) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const end = Math.min(bytes.length, at + 1 + (seed % 97));
    chunks.push(bytes.slice(at, end));
    at = end;
  }
  return chunks;
}

const errorOf = (error) => ({ code: error.code, message: error.message, frameOffset: error.frameOffset ?? null, isDsmrError: error instanceof DsmrError });

/** dsmr-p1/web: the Web Streams decoder. */
async function decodeWeb(chunks, options = {}) {
  const decoder = new TelegramDecoderStream(options);
  const errors = [];
  decoder.addEventListener('invalid', (event) => errors.push(errorOf(event.error)));
  const source = new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const telegrams = [];
  for await (const telegram of source.pipeThrough(decoder)) telegrams.push(telegram);
  return { telegrams, errors, stats: decoder.stats };
}

/** dsmr-p1: the Node Transform, which Deno and Bun provide through their node:stream. */
async function decodeNode(chunks) {
  const decoder = createTelegramStream();
  const errors = [];
  const telegrams = [];
  decoder.on('invalid', (error) => errors.push(errorOf(error)));
  decoder.on('data', (telegram) => telegrams.push(telegram));
  const ended = new Promise((resolve, reject) => {
    decoder.on('end', resolve);
    decoder.on('error', reject);
  });
  for (const chunk of chunks) decoder.write(chunk);
  decoder.end();
  await ended;
  return { telegrams, errors, stats: decoder.stats };
}

/** dsmr-p1/web: the async iterator, over a Web ReadableStream. */
async function decodeIterator(chunks) {
  const source = new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const errors = [];
  const telegrams = [];
  for await (const telegram of readTelegrams(source, { onError: (error) => errors.push(errorOf(error)) })) telegrams.push(telegram);
  return { telegrams, errors, stats: null };
}

const rejected = safeParseTelegram('/XYZ5\r\n\r\n1-0:1.8.1(000001.000*kWh\r\n!1234\r\n');
let wrongKey;
try {
  await decryptTelegram(encrypted, { key: '00'.repeat(16), authenticationKey: keys.authenticationKey });
} catch (error) {
  wrongKey = errorOf(error);
}

const result = {
  crc: crc16(new TextEncoder().encode('123456789')),
  web: await decodeWeb(chunked(stream, 7)),
  node: await decodeNode(chunked(stream, 13)),
  iterator: await decodeIterator(chunked(stream, 17)),
  formatted: formatTelegram({ header: 'XYZ5\\2TEST', objects: [{ obis: '1-0:1.8.1', values: [{ raw: '000001.234', unit: 'kWh' }] }] }),
  rejected: rejected.ok ? null : { ...errorOf(rejected.error), line: rejected.error.line, column: rejected.error.column },
  decrypted: parseTelegram(await decryptTelegram(encrypted, keys)),
  decryptingStream: await decodeWeb(chunked(encryptedStream, 3), { decryption: keys }),
  wrongKey,
};
// JSON: Dates as ISO strings, the same text in every runtime when the results are the same
console.log(JSON.stringify(result));
