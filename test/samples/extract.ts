/**
 * The ```ts samples of the README and docs/, and how each is checked. A sample runs unless the
 * line before its fence says otherwise, with a reason:
 *
 *   <!-- sample: no-run (needs a TCP bridge at 192.168.1.50) -->   type-checked, not run
 *   <!-- sample: skip (an abridged shape, not code) -->            neither
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Sample {
  /** `docs/streaming.md#2`: the file and the index of the sample in it. */
  name: string;
  /** The file, relative to the project root. */
  file: string;
  /** 1-based line of the sample's first code line in `file`. */
  line: number;
  code: string;
  check: 'run' | 'no-run' | 'skip';
  reason: string | null;
}

const FENCE = /^```ts\n([\s\S]*?)^```$/gm;
const MARKER = /<!--\s*sample:\s*(no-run|skip)\s*\((.+)\)\s*-->\s*$/;

export function samplesOf(root: string, file: string): Sample[] {
  const text = readFileSync(join(root, file), 'utf8');
  const samples: Sample[] = [];
  for (const match of text.matchAll(FENCE)) {
    const before = text.slice(0, match.index).split('\n');
    const previous = before.slice(0, -1).reverse().find((line) => line.trim() !== '') ?? '';
    const marker = MARKER.exec(previous);
    samples.push({
      name: `${file}#${samples.length}`,
      file,
      line: before.length + 1,
      code: match[1]!,
      check: marker === null ? 'run' : (marker[1] as 'no-run' | 'skip'),
      reason: marker === null ? null : marker[2]!,
    });
  }
  return samples;
}

/** The README and every Markdown file of docs/ (not the generated API reference). */
export function documentationFiles(root: string): string[] {
  const docs = join(root, 'docs');
  const files = readdirSync(docs, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.md') && !path.startsWith('api'))
    .map((path) => relative(root, join(docs, path)));
  return ['README.md', ...files.sort()];
}

const ENTRY_SHIMS: Record<string, string> = {
  'dsmr-p1': 'test/samples/dsmr-p1.js',
  'dsmr-p1/web': 'src/web.js',
  'dsmr-p1/serialport': 'test/samples/serialport.js',
};

/**
 * The sample as a module in `dir` (`toRoot`: the path from there to the project root): imports of
 * dsmr-p1 point at the sources (and the shims), and the prelude supplies the names the sample
 * uses without declaring them. Returns the code and how many lines were put before the sample's.
 */
export function sampleModule(sample: Sample, toRoot: string, preludeNames: readonly string[]): { code: string; headerLines: number } {
  const code = sample.code.replace(/from '(dsmr-p1(?:\/[a-z]+)?)'/g, (_whole, specifier: string) => {
    const target = ENTRY_SHIMS[specifier];
    if (target === undefined) throw new Error(`${sample.name}: unknown entry point ${specifier}`);
    return `from '${toRoot}/${target}'`;
  });
  // a name, not a property (`console.log` does not want `log`)
  const given = preludeNames.filter((name) => new RegExp(`(?<![.\\w])${name}\\b`).test(code) && !declares(code, name));
  const prelude = `${toRoot}/test/samples/prelude.js`;
  const globals = `${toRoot}/test/samples/globals.js`;
  // the globals samples use (a Web Serial port, fetch), then the names they take as given
  const header = [`import '${globals}';`, ...(given.length === 0 ? [] : [`import { ${given.join(', ')} } from '${prelude}';`])];
  return { code: [...header, code, `console.log('[sample done]');`, ''].join('\n'), headerLines: header.length };
}

function declares(code: string, name: string): boolean {
  return [
    new RegExp(`\\b(?:const|let|var|function|class)\\s+${name}\\b`),
    new RegExp(`\\bimport\\s+(?:type\\s+)?\\{[^}]*\\b${name}\\b[^}]*\\}`),
    new RegExp(`\\b(?:const|let|var)\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*=`),
  ].some((pattern) => pattern.test(code));
}
