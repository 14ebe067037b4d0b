/** The package's version, for `--version` and what the CLI announces of itself. */
import { readFileSync } from 'node:fs';

/**
 * The version in the package's package.json: the first one up from this module (dist/cli.js in
 * the package, src/cli/main.ts in a clone).
 */
export function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const manifest = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'dsmr-p1' && manifest.version !== undefined) return manifest.version;
    } catch {
      // no package.json here: look further up
    }
    if (dir.pathname === '/' || new URL('..', dir).href === dir.href) return 'unknown';
  }
}
