/**
 * The page of `dsmr-p1 serve` in headless Chromium: it shows the simulated meter's values, updates
 * with each telegram, draws the last hour, and survives a server restart on its own.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dashboard } from '../../src/cli/dashboard/server.js';
import { MeterSimulator } from '../../src/cli/simulator.js';
import { parseTelegram, type Telegram } from '../../src/index.js';
import { launchChromium, skipReason } from './chromium.js';

describe.skipIf(skipReason !== null)('the dsmr-p1 serve page in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function openPage(url: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/Brussels' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    // the page works offline: it asks nothing of any server but its own (no route interception
    // here: Playwright's would hold back the event stream)
    page.on('request', (request) => {
      if (new URL(request.url()).hostname !== '127.0.0.1') problems.push(`request to ${request.url()}`);
    });
    (page as Page & { problems: string[] }).problems = problems;
    await page.goto(url);
    return page;
  }

  const text = (page: Page, id: string) => page.locator(`#${id}`).textContent();

  it('shows the meter, updates with every telegram, and comes back by itself after a server restart', async () => {
    const meter = new MeterSimulator({ profile: 'be', seed: 11, start: new Date('2024-06-01T10:00:00Z') });
    let dashboard = new Dashboard('test');
    const url = await dashboard.listen(0, '127.0.0.1');
    const port = Number(new URL(url).port);
    const history: Telegram[] = [];
    const push = (d: Dashboard) => {
      const t = parseTelegram(meter.next());
      history.push(t);
      d.telegram(t);
      return t;
    };
    for (let i = 0; i < 30; i++) push(dashboard);

    const page = await openPage(url);
    try {
      // the snapshot: the last reading and the history the server kept
      let t = history.at(-1)!;
      await expect.poll(() => text(page, 'link')).toBe('live');
      expect(await page.locator('#power').getAttribute('data-kw')).toBe(String(t.electricity.power.imported));
      expect(await text(page, 'power-detail')).toContain(`in ${t.electricity.power.imported!.toFixed(3)} kW`);
      expect(await text(page, 'tariff')).toBe(t.electricity.tariff === 1 ? 'day' : 'night');
      expect(await text(page, 'gas')).toBe(`${t.gas!.value.toLocaleString('en-US', { minimumFractionDigits: 3 })} m³`);
      expect(await text(page, 'demand')).toBe(`${t.electricity.demand.current!.toFixed(3)} kW`);
      expect(await text(page, 'meter')).toContain('(be)');
      expect(await page.locator('#chart').getAttribute('data-points')).toBe('30');

      // live: each telegram updates the page
      t = push(dashboard);
      await expect.poll(() => page.locator('#power').getAttribute('data-kw')).toBe(String(t.electricity.power.imported));
      expect(await page.locator('#chart').getAttribute('data-points')).toBe('31');
      expect(await text(page, 'counts')).toBe('31 telegrams, 0 bad ones skipped');

      // a bad telegram and a dropped link show on the page
      dashboard.invalid(Object.assign(new Error('the CRC does not match'), { name: 'DsmrError', code: 'CRC_MISMATCH' }) as never);
      dashboard.link('reconnecting', 'cable pulled');
      await expect.poll(() => text(page, 'error')).toMatch(/CRC_MISMATCH: the CRC does not match$/);
      expect(await text(page, 'link')).toBe('meter link lost, reconnecting (cable pulled)');

      // the server restarts (a new process: empty history); the page reconnects by itself
      await dashboard.close();
      await expect.poll(() => text(page, 'link')).toContain('retrying');
      dashboard = new Dashboard('test');
      await dashboard.listen(port, '127.0.0.1');
      t = push(dashboard);
      // the new server's snapshot: its history of one point, and its reading
      await expect.poll(() => page.locator('#chart').getAttribute('data-points'), { timeout: 15_000 }).toBe('1');
      expect(await page.locator('#power').getAttribute('data-kw')).toBe(String(t.electricity.power.imported));
      expect(await text(page, 'link')).toBe('live');
      expect((page as Page & { problems: string[] }).problems).toEqual([]);
      // a page that goes away is no longer written to
      expect(dashboard.listeners).toBe(1);
      await page.context().close();
      await expect.poll(() => dashboard.listeners).toBe(0);
    } finally {
      await page.context().close();
      await dashboard.close();
    }
  }, 60_000);
});
