/** What a command needs from the outside world, so tests can run commands in-process. */
import { statSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  /** Environment, for NO_COLOR and the like. */
  env: Record<string, string | undefined>;
}

/** An error that ends the command with a message (no stack) and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Writes and waits for the stream to accept it (backpressure on stdout pipes). */
export function write(stream: Writable, text: string): Promise<void> | void {
  if (!stream.write(text)) return new Promise((resolve) => stream.once('drain', resolve));
}

/** Checks that each source is a file to read (or `-`, stdin), before anything is read. */
export function checkSources(sources: readonly string[]): void {
  for (const source of sources) {
    if (source === '-') continue;
    let isDirectory: boolean;
    try {
      isDirectory = statSync(source).isDirectory();
    } catch {
      throw new CliError(`cannot read ${source}: no such file`);
    }
    if (isDirectory) throw new CliError(`cannot read ${source}: it is a directory, give the files in it`);
  }
}

/** How messages name a source: `stdin` for `-`. */
export function sourceName(source: string): string {
  return source === '-' ? 'stdin' : source;
}
