import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { DsmrError, TelegramDecoder, TelegramFramer, createTelegramStream, parseTelegram, type Telegram } from '../src/index.js';
import { TelegramDecoderStream } from '../src/web.js';
import { CAPTURES, captureBytes } from './helpers/captures.js';
import { TRANSPORTS, concat, decodeWith } from './helpers/streams.js';
import { APPENDIX_A1, latin1, telegramText } from './helpers/telegram.js';

const A = telegramText(['1-3:0.2.8(50)', '1-0:1.7.0(00.100*kW)'], { header: '/AAA5\\2FIRST' });
const B = telegramText(['1-3:0.2.8(50)', '1-0:1.7.0(00.200*kW)'], { header: '/BBB5\\2SECOND' });
const C = telegramText(['1-3:0.2.8(50)', '1-0:1.7.0(00.300*kW)'], { header: '/CCC5\\2THIRD' });

function powers(telegrams: readonly Telegram[]): (number | null)[] {
  return telegrams.map((t) => t.electricity.power.imported);
}

describe.each(TRANSPORTS)('%s transport', (transport) => {
  const decode = (text: string | Uint8Array, options = {}) => decodeWith(transport, [typeof text === 'string' ? latin1(text) : text], options);

  it('delivers consecutive telegrams, byte by byte too', async () => {
    const bytes = latin1(A + B + C);
    expect(powers((await decode(bytes)).telegrams)).toEqual([0.1, 0.2, 0.3]);
    const oneByOne = await decodeWith(transport, Array.from(bytes, (b) => Uint8Array.of(b)));
    expect(powers(oneByOne.telegrams)).toEqual([0.1, 0.2, 0.3]);
    expect(oneByOne.errors).toEqual([]);
  });

  it('accepts string chunks, one byte per character', async () => {
    const { telegrams } = await decodeWith(transport, [A.slice(0, 20), A.slice(20) + B]);
    expect(powers(telegrams)).toEqual([0.1, 0.2]);
  });

  it('frames LF-only telegrams and DSMR 2.2 telegrams without CRC', async () => {
    const lf = telegramText(['1-0:1.7.0(00.400*kW)'], { eol: '\n' });
    const dsmr22 = telegramText(['1-0:1.7.0(0000.50*kW)', '0-1:24.3.0(120517020000)(08)(60)(1)(0-1:24.2.1)(m3)', '(00124.477)'], { crc: false });
    const { telegrams, errors } = await decode(lf + dsmr22 + A);
    expect(powers(telegrams)).toEqual([0.4, 0.5, 0.1]);
    expect(telegrams[1]!.mbus[0]!.reading?.value).toBe(124.477);
    expect(errors).toEqual([]);
  });

  it('keeps a telegram whole when a "/" is inside it (Holley header, text message)', async () => {
    const holley = telegramText(['1-0:1.7.0(00.600*kW)'], { header: '/HLY5/D545-METER' });
    const message = telegramText(['0-0:96.13.0(test-/-test)', '1-0:1.7.0(00.700*kW)'], { crc: false });
    const { telegrams, errors } = await decode(holley + message + A);
    expect(telegrams.map((t) => t.header?.raw)).toEqual(['/HLY5/D545-METER', '/TST5\\2TEST-METER', '/AAA5\\2FIRST']);
    expect(telegrams[1]!.messages.text).toBe('test-/-test');
    expect(errors).toEqual([]);
  });

  it('ignores NUL and 0xFF after the CRC, and does not count them as garbage', async () => {
    const { telegrams, errors, stats } = await decode(concat([latin1(A), Uint8Array.of(0, 0xff, 0xff), latin1(B), Uint8Array.of(0)]));
    expect(powers(telegrams)).toEqual([0.1, 0.2]);
    expect(errors).toEqual([]);
    if (stats !== null) expect(stats.skippedBytes).toBe(0);
  });

  it('skips leading garbage and the partial first telegram after connecting', async () => {
    const partial = A.slice(A.indexOf('1-0:1.7.0'));
    const { telegrams, errors, stats } = await decode(`\x13\x88garbage${partial}${B}`);
    expect(powers(telegrams)).toEqual([0.2]);
    expect(errors).toEqual([]);
    if (stats !== null) expect(stats).toMatchObject({ telegrams: 1, invalid: 0, skippedBytes: 9 + partial.replace(/\s/g, '').length });
  });

  it('reports a telegram cut off mid-line and still delivers the one that follows it', async () => {
    const cutOff = A.slice(0, A.indexOf('00.100') + 4); // …1-0:1.7.0(00.1
    const { telegrams, errors } = await decode(cutOff + B + C);
    expect(powers(telegrams)).toEqual([0.2, 0.3]);
    expect(errors.map((e) => [e.code, e.frameOffset])).toEqual([['TRUNCATED', 0]]);
    expect(Buffer.from(errors[0]!.frame!).toString('latin1')).toBe(cutOff);
  });

  it('reports a telegram cut off at a line end when the next begins', async () => {
    const cutOff = A.slice(0, A.indexOf('1-0:1.7.0'));
    const { telegrams, errors } = await decode(cutOff + B);
    expect(powers(telegrams)).toEqual([0.2]);
    expect(errors.map((e) => e.code)).toEqual(['TRUNCATED']);
  });

  it('reports a telegram cut off by the end of the stream', async () => {
    const { telegrams, errors } = await decode(A + B.slice(0, 30));
    expect(powers(telegrams)).toEqual([0.1]);
    expect(errors.map((e) => [e.code, e.frameOffset])).toEqual([['TRUNCATED', A.length]]);
  });

  it('delivers a telegram whose checksum line ends the stream without a line end', async () => {
    const { telegrams } = await decode(A + B.trimEnd());
    expect(powers(telegrams)).toEqual([0.1, 0.2]);
  });

  it('reports damaged telegrams with their offset and bytes, and goes on', async () => {
    const damaged = B.replace('00.200', '00.201');
    const { telegrams, errors, stats } = await decode(A + damaged + C);
    expect(powers(telegrams)).toEqual([0.1, 0.3]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(DsmrError);
    expect(errors[0]).toMatchObject({ code: 'CRC_MISMATCH', frameOffset: A.length, line: 5 });
    expect(Buffer.from(errors[0]!.frame!).toString('latin1')).toBe(damaged.trimEnd());
    if (stats !== null) expect(stats).toMatchObject({ telegrams: 2, invalid: 1 });
  });

  it('drops a frame that grows past maxTelegramBytes and resyncs at the next "/"', async () => {
    const endless = `/XXX5 NO END\r\n${'1-0:1.8.1(000001.000*kWh)\r\n'.repeat(800)}`;
    const { telegrams, errors } = await decode(endless + A + B);
    // A's "/" starts a line: it ends the endless frame (cut off) before the limit is reached
    expect(powers(telegrams)).toEqual([0.1, 0.2]);
    expect(errors.map((e) => e.code)).toEqual(['FRAME_TOO_LARGE']);
    expect(errors[0]!.frame).toHaveLength(16 * 1024);
  });

  it('applies maxTelegramBytes exactly, whatever the chunking', async () => {
    const size = A.trimEnd().length; // from "/" through the CRC
    for (const chunk of [1, 7, 1000]) {
      const chunks = (text: string) => Array.from({ length: Math.ceil(text.length / chunk) }, (_, i) => latin1(text.slice(i * chunk, (i + 1) * chunk)));
      const fits = await decodeWith(transport, chunks(A + A), { maxTelegramBytes: size });
      expect(powers(fits.telegrams)).toEqual([0.1, 0.1]);
      const tooLarge = await decodeWith(transport, chunks(A + A), { maxTelegramBytes: size - 1 });
      expect(tooLarge.telegrams).toEqual([]);
      expect(tooLarge.errors.map((e) => e.code)).toEqual(['FRAME_TOO_LARGE', 'FRAME_TOO_LARGE']);
    }
  });

  it('passes parse options through', async () => {
    const lf = telegramText(['1-0:1.7.0(00.400*kW)'], { eol: '\n' });
    const strict = await decode(lf, { mode: 'strict' });
    expect(strict.errors.map((e) => e.code)).toEqual(['LINE_ENDING']);
    const noCrc = telegramText(['1-3:0.2.8(50)'], { crc: false });
    expect((await decode(noCrc)).errors.map((e) => e.code)).toEqual(['CRC_MISSING']);
    expect((await decode(noCrc, { verifyCrc: false })).telegrams).toHaveLength(1);
  });

  it('delivers every valid real capture, concatenated and cut anywhere', async () => {
    const valid = CAPTURES.filter((c) => !c.encrypted && !c.malformed && c.crc_valid !== false && (c.has_crc || c.expected.p1_version_raw === undefined));
    const bytes = concat(valid.map((c) => captureBytes(c.file)));
    let seed = 7;
    const cuts: number[] = [];
    for (let at = 0; at < bytes.length; ) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      at += 1 + (seed % 97);
      cuts.push(at);
    }
    const chunks = cuts.map((end, i) => bytes.subarray(i === 0 ? 0 : cuts[i - 1], end));
    const { telegrams, errors } = await decodeWith(transport, chunks);
    expect(errors).toEqual([]);
    expect(telegrams.map((t) => t.header?.raw)).toEqual(valid.map((c) => `/${c.expected.header}`));
    // the same as parsing each file, except that text after a telegram is outside its frame
    const alone = valid.map((c) => parseTelegram(captureBytes(c.file)));
    for (const t of alone) t.warnings = t.warnings.filter((w) => w.code !== 'TRAILING_DATA');
    expect(telegrams).toEqual(alone);
  });
});

describe('createTelegramStream', () => {
  it('emits "invalid" by default and calls onError instead when given', async () => {
    const damaged = latin1(APPENDIX_A1.replace('231.4', '231.5'));
    const viaEvent: DsmrError[] = [];
    const stream = createTelegramStream();
    stream.on('invalid', (e) => viaEvent.push(e));
    stream.end(damaged);
    for await (const _ of stream) throw new Error('no telegram expected');
    expect(viaEvent.map((e) => e.code)).toEqual(['CRC_MISMATCH']);

    const viaCallback: DsmrError[] = [];
    const withCallback = createTelegramStream({ onError: (e) => viaCallback.push(e) });
    withCallback.on('invalid', () => {
      throw new Error('onError replaces the event');
    });
    withCallback.end(damaged);
    for await (const _ of withCallback) throw new Error('no telegram expected');
    expect(viaCallback.map((e) => e.code)).toEqual(['CRC_MISMATCH']);
  });

  it('throws INVALID_OPTION for a bad option at creation', () => {
    expect(() => createTelegramStream({ mode: 'sloppy' as 'strict' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => createTelegramStream({ maxTelegramBytes: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => new TelegramDecoderStream({ timeZone: 'Nowhere/Never' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('fails with INVALID_INPUT on a chunk that is neither bytes nor text', async () => {
    const decoder = new TelegramDecoder();
    expect(() => decoder.push({ power: 1 } as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    // the Web stream has no type check of its own: the decoder's error errors the stream
    const web = new TelegramDecoderStream();
    const writer = (web.writable as WritableStream<unknown>).getWriter();
    const read = web.readable.getReader().read(); // the transform runs once something reads
    await expect(writer.write(42)).rejects.toMatchObject({ name: 'DsmrError', code: 'INVALID_INPUT' });
    await expect(read).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('respects backpressure: a slow consumer holds the source back', async () => {
    const telegram = latin1(APPENDIX_A1);
    let produced = 0;
    const source = new Readable({
      read() {
        produced++;
        this.push(produced <= 200 ? telegram : null);
      },
    });
    const stream = createTelegramStream({ highWaterMark: 2 });
    source.pipe(stream);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // nothing consumed yet: the source stopped long before its 200 telegrams
    expect(produced).toBeLessThan(60);
    let received = 0;
    for await (const _ of stream) received++;
    expect(received).toBe(200);
  });

  it('keeps memory flat over 100 MB of garbage without "/"', async () => {
    const chunk = new Uint8Array(64 * 1024);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7 + 3) % 256 === 0x2f ? 0x20 : (i * 7 + 3) % 256;
    const total = 100 * 1024 * 1024;
    let sent = 0;
    let peak = 0;
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const source = new Readable({
      read() {
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
        if (sent >= total) this.push(null);
        else {
          sent += chunk.length;
          this.push(Buffer.from(chunk));
        }
      },
    });
    const stream = createTelegramStream();
    const telegrams: Telegram[] = [];
    stream.on('data', (t: Telegram) => telegrams.push(t));
    await pipeline(source, stream);
    expect(telegrams).toEqual([]);
    expect(stream.stats.bytes).toBe(total);
    expect(stream.stats.skippedBytes).toBeGreaterThan(total * 0.9);
    // generous: a leak would grow with the 100 MB; buffers and GC slack stay far below this
    expect(peak).toBeLessThan(48 * 1024 * 1024);
  });
});

describe('TelegramFramer', () => {
  it('reports each dropped frame with its offset and the bytes up to the limit', () => {
    const framer = new TelegramFramer({ maxTelegramBytes: 64 });
    const events = [...framer.push(latin1(`noise/ABC5${'x'.repeat(100)}`)), ...framer.flush()];
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event.type).toBe('error');
    if (event.type === 'error') {
      expect(event.error).toMatchObject({ code: 'FRAME_TOO_LARGE', frameOffset: 5 });
      expect(event.error.frame).toHaveLength(64);
    }
    // "noise" and the bytes after the 64 reported ones
    expect(framer.skippedBytes).toBe(5 + (110 - 69));
  });
});
