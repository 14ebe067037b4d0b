/**
 * Headless Chromium for the browser tests: Debian's `chromium` driven by playwright-core, nothing
 * downloaded. When no Chromium is installed the tests skip and say why (`.ci/run` installs it).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium executable, or `null`. */
export const chromiumPath: string | null = CANDIDATES.find((path): path is string => path !== undefined && path !== '' && existsSync(path)) ?? null;

export const skipReason =
  chromiumPath === null ? `no Chromium at ${CANDIDATES.filter(Boolean).join(', ')}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH` : null;

export function launchChromium(): Promise<Browser> {
  if (chromiumPath === null) throw new Error(skipReason ?? 'no Chromium');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}
