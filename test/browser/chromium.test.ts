/**
 * dsmr-p1/web in a real browser: bundled by esbuild for the browser, run in headless Chromium.
 * The results must equal Node's for the same bytes, and docs/examples/web-serial.html must show a
 * meter's readings from a (fake) Web Serial port.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTelegram, tariffNames, type Telegram } from '../../src/index.js';
import { CAPTURES, captureBytes } from '../helpers/captures.js';
import { concat, decodeWith } from '../helpers/streams.js';
import { APPENDIX_A1, latin1, telegramText } from '../helpers/telegram.js';
// @ts-expect-error: a plain JavaScript script without types (docs/examples/serve.mjs)
import { createExampleServer } from '../../docs/examples/serve.mjs';
import { encryptFrame } from '../helpers/encrypt.js';
import { bundleWeb, type WebBundle } from './bundle.js';
import { launchChromium, skipReason } from './chromium.js';
import { serve, type TestServer } from './server.js';

if (skipReason !== null) console.warn(`[browser tests skipped] ${skipReason}`);

const PAGE = readFileSync(new URL('decoder-page.html', import.meta.url), 'utf8');
const WEB_SERIAL_PAGE = readFileSync(new URL('../../docs/examples/web-serial.html', import.meta.url), 'utf8');

/** Cuts like the decoder page does (same generator), so Node sees the same chunks. */
function chunked(bytes: Uint8Array, seed: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const end = Math.min(bytes.length, at + 1 + (seed % 97));
    chunks.push(bytes.slice(at, end));
    at = end;
  }
  return chunks;
}

describe.skipIf(skipReason !== null)('dsmr-p1/web in headless Chromium', () => {
  let web: WebBundle;
  let bundle = '';
  let browser: Browser;
  let server: TestServer;
  let input: Uint8Array = new Uint8Array(0);

  beforeAll(async () => {
    web = await bundleWeb();
    bundle = web.code;
    browser = await launchChromium();
    server = await serve({
      '/decoder.html': { body: PAGE, type: 'text/html' },
      '/web-serial.html': { body: WEB_SERIAL_PAGE, type: 'text/html' },
      // where the page's import map looks for it (npm run example serves dist/ there)
      '/dsmr-p1/web.js': { get body() { return bundle; }, type: 'text/javascript' },
      '/dsmr-p1-web.js': { get body() { return bundle; }, type: 'text/javascript' },
      '/input.bin': { get body() { return input; }, type: 'application/octet-stream' },
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A page that can reach local servers only (nothing from the network, no CDN). */
  async function openPage(setup?: (context: BrowserContext) => Promise<void>): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/Amsterdam' });
    await context.route('**/*', async (route) => {
      if (new URL(route.request().url()).hostname === '127.0.0.1') await route.continue();
      else await route.abort('blockedbyclient');
    });
    await setup?.(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    (page as Page & { problems: string[] }).problems = problems;
    return page;
  }

  const problemsOf = (page: Page): string[] => (page as Page & { problems: string[] }).problems;

  async function decodeInBrowser(query: string): Promise<{ telegrams: string; errors: { code: string; frameOffset: number }[]; stats: unknown; rows: number }> {
    const page = await openPage();
    await page.goto(`${server.origin}/decoder.html?${query}`);
    await page.waitForFunction(() => (window as { result?: unknown }).result !== undefined, undefined, { timeout: 30_000 });
    const result = await page.evaluate(() => (window as unknown as { result: Record<string, unknown> }).result);
    expect(result['failure']).toBeUndefined();
    expect(problemsOf(page)).toEqual([]);
    const rows = await page.locator('#readings tr').count();
    await page.context().close();
    return { ...(result as { telegrams: string; errors: { code: string; frameOffset: number }[]; stats: unknown }), rows };
  }

  it('bundles for the browser from our sources and parsimmon alone', () => {
    // esbuild (platform browser) fails on a node: import; nothing else (no polyfill) may come in
    const outside = web.inputs.filter((file) => !file.startsWith('src/core/') && !file.startsWith('src/stream/') && !/^src\/(web|api)\.ts$/.test(file));
    expect(outside).toEqual(['node_modules/parsimmon/build/parsimmon.umd.min.js']);
    expect(web.inputs).not.toContain('src/stream/node.ts');
  });

  it('decodes real captures, a damaged telegram and garbage exactly as Node does', async () => {
    const valid = CAPTURES.filter((c) => !c.encrypted && !c.malformed && c.crc_valid !== false && (c.has_crc || c.expected.p1_version_raw === undefined));
    const damaged = latin1(APPENDIX_A1.replace('231.4', '231.5'));
    const parts = valid.map((c) => captureBytes(c.file));
    parts.splice(3, 0, damaged, latin1('garbage between telegrams\r\n'));
    input = concat(parts);

    const seed = 11;
    const browserResult = await decodeInBrowser(`chunks=${seed}`);
    const node = await decodeWith('web', chunked(input, seed));

    expect(node.telegrams).toHaveLength(valid.length);
    expect(browserResult.rows).toBe(valid.length);
    expect(JSON.parse(browserResult.telegrams)).toEqual(JSON.parse(JSON.stringify(node.telegrams)));
    expect(browserResult.errors).toEqual(node.errors.map((e) => ({ code: e.code, frameOffset: e.frameOffset })));
    expect(browserResult.errors.map((e) => e.code)).toEqual(['CRC_MISMATCH']);
    expect(browserResult.stats).toEqual(node.stats);
  });

  it('decrypts a Smarty frame with WebCrypto in the browser', async () => {
    const capture = CAPTURES.find((c) => c.encrypted && c.crc_valid !== false);
    if (capture === undefined) throw new Error('no encrypted capture with a valid CRC');
    const frame = Buffer.from(Buffer.from(captureBytes(capture.file)).toString('latin1').trim(), 'hex');
    input = concat([frame, frame]);
    const query = `chunks=5&key=${capture.key}&ak=${capture.aad}`;
    const browserResult = await decodeInBrowser(query);
    const node = await decodeWith('web', chunked(input, 5), { decryption: { key: capture.key!, authenticationKey: capture.aad! } });
    expect(node.telegrams).toHaveLength(2);
    expect(browserResult.errors).toEqual([]);
    expect(JSON.parse(browserResult.telegrams)).toEqual(JSON.parse(JSON.stringify(node.telegrams)));
  });

  describe('docs/examples/web-serial.html', () => {
    /** A fake Web Serial: one port whose bytes the test pushes with `window.serialFeed`. */
    async function withFakeSerial(context: BrowserContext): Promise<void> {
      await context.addInitScript(() => {
        let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
        const opened: unknown[] = [];
        const port = {
          readable: null as ReadableStream<Uint8Array> | null,
          writable: null,
          async open(options: unknown) {
            opened.push(options);
            port.readable = new ReadableStream<Uint8Array>({
              start: (c) => {
                controller = c;
              },
              cancel: () => {
                port.readable = null;
              },
            });
          },
          async close() {
            port.readable = null;
          },
          getInfo: () => ({ usbVendorId: 0x0403, usbProductId: 0x6001 }),
        };
        const serial = { requestPort: async () => port, getPorts: async () => [port], addEventListener() {}, removeEventListener() {} };
        Object.defineProperty(navigator, 'serial', { value: serial, configurable: true });
        Object.assign(window, {
          serialOpened: opened,
          serialFeed: (chunks: number[][]) => {
            for (const chunk of chunks) controller?.enqueue(new Uint8Array(chunk));
          },
          serialUnplug: () => {
            port.readable = null;
            controller?.close();
          },
        });
      });
    }

    const feed = (page: Page, bytes: Uint8Array, seed: number) =>
      page.evaluate((chunks) => (window as unknown as { serialFeed(c: number[][]): void }).serialFeed(chunks), chunked(bytes, seed).map((c) => [...c]));

    const dataValue = (page: Page, id: string) => page.locator(`#${id} data`).getAttribute('value');
    /** The settings the page opened the fake port with, in order. */
    const serialOpened = (page: Page) => page.evaluate(() => (window as unknown as { serialOpened: unknown[] }).serialOpened);

    it('shows the live readings of a meter on a (fake) serial port', async () => {
      const page = await openPage(withFakeSerial);
      await page.goto(`${server.origin}/web-serial.html`);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect.poll(() => page.locator('#status').textContent()).toContain('waiting for a telegram');
      expect(await serialOpened(page)).toEqual([
        { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, bufferSize: 65536 },
      ]);

      // a DSMR 5 meter with gas, preceded by the tail of a telegram and followed by a damaged one
      const first = captureBytes('20-iskra-mt382-dsmr50-ndokter.txt');
      const damaged = latin1(APPENDIX_A1.replace('231.4', '231.5'));
      await feed(page, concat([latin1('0*kWh)\r\n1-0:2.8.2(000000.000*kWh)\r\n!1234\r\n'), first, damaged]), 3);

      const expected: Telegram = parseTelegram(first);
      await expect.poll(() => page.locator('#counts').textContent()).toBe('1 telegrams, 1 bad ones skipped');
      expect(await page.locator('#last-error').textContent()).toMatch(/^CRC_MISMATCH: /);
      expect(await page.locator('#time time').getAttribute('datetime')).toBe(expected.timestamp!.toISOString());
      expect(await dataValue(page, 'consumption')).toBe(String(expected.electricity.power.imported));
      expect(await dataValue(page, 'production')).toBe(String(expected.electricity.power.exported));
      expect(await dataValue(page, 'imported')).toBe(String(expected.electricity.imported.allTariffs));
      expect(await page.locator('#imported').textContent()).toContain('(tariffs 1 + 2)');
      expect(await dataValue(page, 'gas')).toBe(String(expected.gas!.value));
      expect(await page.locator('#gas').textContent()).toContain('m³');
      const names = tariffNames(expected.profile)!;
      expect(await page.locator('#tariff').textContent()).toBe(`${expected.electricity.tariff === 1 ? names.tariff1 : names.tariff2} (tariff ${expected.electricity.tariff})`);
      expect(await page.locator('#status').textContent()).toBe(`Connected: ${expected.header.raw} (nl)`);

      // the next telegram replaces the readings
      const next = telegramText(['1-3:0.2.8(50)', '0-0:1.0.0(261123120000W)', '0-0:96.14.0(0001)', '1-0:1.7.0(01.234*kW)', '1-0:2.7.0(00.000*kW)']);
      await feed(page, latin1(next), 9);
      await expect.poll(() => dataValue(page, 'consumption')).toBe('1.234');
      expect(await page.locator('#time time').getAttribute('datetime')).toBe('2026-11-23T11:00:00.000Z');
      expect(await page.locator('#tariff').textContent()).toBe('low (tariff 1)');
      expect(await page.locator('#gas').textContent()).toBe('–');

      // unplugged: the port's stream ends
      await page.evaluate(() => (window as unknown as { serialUnplug(): void }).serialUnplug());
      await expect.poll(() => page.locator('#status').textContent()).toContain('Disconnected: the cable was unplugged');
      expect(await page.getByRole('button', { name: 'Connect', exact: true }).isEnabled()).toBe(true);
      expect(problemsOf(page)).toEqual([]);
      await page.context().close();
    });

    it('opens DSMR 2.2/3.0 meters at 9600 7E1 and stops on Disconnect', async () => {
      const page = await openPage(withFakeSerial);
      await page.goto(`${server.origin}/web-serial.html`);
      await page.locator('#preset').selectOption('dsmr3');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Disconnect' }).isEnabled()).toBe(true);
      expect(await serialOpened(page)).toEqual([
        { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1, bufferSize: 65536 },
      ]);
      const legacy = captureBytes('03-iskra-mt382-1003-dsmr22.txt');
      await feed(page, legacy, 4);
      const expected = parseTelegram(legacy);
      await expect.poll(() => dataValue(page, 'consumption')).toBe(String(expected.electricity.power.imported));
      expect(await page.locator('#time').textContent()).toContain('the meter sends no time');

      await page.getByRole('button', { name: 'Disconnect' }).click();
      await expect.poll(() => page.locator('#status').textContent()).toBe('Disconnected.');
      expect(problemsOf(page)).toEqual([]);
      await page.context().close();
    });

    it('reads a DLMS meter on a HAN port at 2400 8E1 (a real Kaifa frame, cut anywhere)', async () => {
      const page = await openPage(withFakeSerial);
      await page.goto(`${server.origin}/web-serial.html`);
      await page.locator('#preset').selectOption('han-8e1');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Disconnect' }).isEnabled()).toBe(true);
      expect(await serialOpened(page)).toEqual([
        { baudRate: 2400, dataBits: 8, parity: 'even', stopBits: 1, bufferSize: 65536 },
      ]);
      const frame = Uint8Array.from(Buffer.from(readFileSync(new URL('../fixtures/dlms/kaifa-ma304h3e-list2.hex', import.meta.url), 'utf8').replace(/\s+/g, ''), 'hex'));
      await feed(page, concat([Uint8Array.of(0x13, 0x37), frame]), 6);
      await expect.poll(() => dataValue(page, 'consumption')).toBe('2.093');
      expect(await page.locator('#status').textContent()).toBe('Connected: MA304H3E KFM_001 6970631403082809 (DLMS)');
      expect(problemsOf(page)).toEqual([]);
      await page.context().close();
    });

    it('shows the Belgian capacity tariff: the 15-minute demand and the month peak with its time', async () => {
      const page = await openPage(withFakeSerial);
      await page.goto(`${server.origin}/web-serial.html`);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      const belgian = captureBytes('29-fluvius-flu5-emucs171.txt');
      await feed(page, belgian, 5);
      const { demand } = parseTelegram(belgian).electricity;
      await expect.poll(() => dataValue(page, 'demand')).toBe(String(demand.current));
      expect(await dataValue(page, 'peak')).toBe(String(demand.monthPeak!.value));
      expect(await page.locator('#peak').textContent()).toContain(' at ');
      expect(problemsOf(page)).toEqual([]);
      await page.context().close();
    });

    it('decrypts a Smarty meter with the key typed in, and without it says the key is needed', async () => {
      const key = Buffer.from('000102030405060708090A0B0C0D0E0F', 'hex');
      const frames = concat([1, 2].map((frameCounter) => encryptFrame(latin1(APPENDIX_A1), { key, frameCounter })));
      const page = await openPage(withFakeSerial);
      await page.goto(`${server.origin}/web-serial.html`);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await feed(page, frames, 6);
      await expect.poll(() => page.locator('#last-error').textContent()).toMatch(/^ENCRYPTED_NO_KEY: .*Enter the key above/);
      expect(await page.locator('#consumption').textContent()).toBe('–');

      await page.getByRole('button', { name: 'Disconnect' }).click();
      await page.locator('#key').fill('not a key');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect.poll(() => page.locator('#status').textContent()).toMatch(/^The key: .*32 hex/);

      await page.locator('#key').fill(key.toString('hex'));
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect.poll(() => page.locator('#status').textContent()).toContain('waiting for a telegram');
      await feed(page, frames, 7);
      await expect.poll(() => page.locator('#counts').textContent()).toBe('2 telegrams, 1 bad ones skipped');
      expect(await dataValue(page, 'consumption')).toBe(String(parseTelegram(APPENDIX_A1).electricity.power.imported));
      expect(problemsOf(page)).toEqual([]);
      await page.context().close();
    });

    it('says on the page when dsmr-p1/web cannot be loaded, and shows how to use it', async () => {
      const page = await openPage(async (context) => {
        await context.route('**/dsmr-p1/web.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
      });
      await page.goto(`${server.origin}/web-serial.html`);
      await expect.poll(() => page.locator('#status').textContent()).toMatch(/^Could not load dsmr-p1\/web .*npm run example/);
      expect(await page.getByRole('button', { name: 'Connect', exact: true }).isDisabled()).toBe(true);
      expect(await page.locator('#usage').isVisible()).toBe(true);
      expect(await page.locator('#usage').textContent()).toContain('Press Connect');
      await page.context().close();
    });

    it.skipIf(!existsSync(new URL('../../dist/web.js', import.meta.url)))('runs as npm run example serves it: the page and the package build, nothing from a CDN', async () => {
      const example = await createExampleServer();
      await new Promise<void>((resolve) => example.listen(0, '127.0.0.1', resolve));
      const origin = `http://127.0.0.1:${(example.address() as AddressInfo).port}`;
      try {
        const page = await openPage(withFakeSerial);
        await page.goto(`${origin}/`);
        await page.getByRole('button', { name: 'Connect', exact: true }).click();
        const first = captureBytes('20-iskra-mt382-dsmr50-ndokter.txt');
        await feed(page, first, 8);
        await expect.poll(() => dataValue(page, 'consumption')).toBe(String(parseTelegram(first).electricity.power.imported));
        expect(problemsOf(page)).toEqual([]);
        expect((await fetch(`${origin}/package.json`)).status).toBe(404);
        await page.context().close();
      } finally {
        await new Promise((resolve) => example.close(resolve));
      }
    });

    it('says so when the browser has no Web Serial', async () => {
      const page = await openPage();
      await page.goto(`${server.origin}/web-serial.html`);
      // headless Chromium has navigator.serial; take it away as in Firefox and Safari
      await page.evaluate(() => Reflect.deleteProperty(Object.getPrototypeOf(navigator), 'serial'));
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect.poll(() => page.locator('#status').textContent()).toContain('no Web Serial');
      await page.context().close();
    });
  });
});
