/**
 * `dsmr-p1 parse [files…]`: a byte stream of telegrams in (files, or stdin), one JSON telegram per
 * line out. Bad telegrams go to stderr with where they were; a summary ends the run.
 */
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createTelegramStream, type DsmrError, type Telegram, type TelegramStream } from '../index.js';
import { DECODER_HELP, DECODER_OPTIONS, DECRYPTION_HELP, DECRYPTION_OPTIONS, EXIT_HELP, HELP_ROW, decoderOptions, decryptionOptions, exitCode, isSetupError, optionList } from './common.js';
import { CliError, checkSources, sourceName, write, type CliIo } from './io.js';
import { DEFAULT_CSV_FIELDS, FieldSelection } from './fields.js';
import { tableHeader, tableRow, toJson } from './render.js';

export const PARSE_HELP = `Usage: dsmr-p1 parse [options] [file…]

Reads telegrams from the files (or stdin when none, or "-"), as logged from a P1 port: any
number of telegrams, garbage and broken telegrams in between. Writes each good telegram to
stdout; reports each bad one on stderr with its position, then a summary.

Options:
${optionList([
  ['--format ndjson|json|table|csv', 'ndjson (default): one JSON telegram per line; json: one array;\ntable: the readings people look at; csv: a header and a row\na telegram (for spreadsheets and time-series databases)'],
  ['--fields PATHS', 'only these fields, by their JSON path: timestamp,\nelectricity.power.imported,gas.value (ndjson, json, csv)'],
  ['--quiet', 'no per-telegram error lines and no summary on stderr'],
  ...DECRYPTION_HELP,
  ...DECODER_HELP,
  HELP_ROW,
])}

${EXIT_HELP}`;

type Format = 'ndjson' | 'json' | 'table' | 'csv';

interface Totals {
  telegrams: number;
  invalid: number;
  /** errors that say the setup does not fit the input (see `isSetupError`) */
  setupErrors: number;
  skippedBytes: number;
}

export async function parseCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'ndjson' },
      fields: { type: 'string' },
      quiet: { type: 'boolean' },
      ...DECRYPTION_OPTIONS,
      help: { type: 'boolean', short: 'h' },
      ...DECODER_OPTIONS,
    },
  });
  if (values.help) {
    await write(io.stdout, `${PARSE_HELP}\n`);
    return 0;
  }
  const format = values.format;
  if (format !== 'ndjson' && format !== 'json' && format !== 'table' && format !== 'csv') {
    throw new CliError(`--format must be ndjson, json, table or csv, not ${JSON.stringify(format)}`);
  }
  if (format === 'table' && values.fields !== undefined) throw new CliError('--fields works with --format ndjson, json or csv; the table has its own columns');
  const fields = values.fields !== undefined ? FieldSelection.parse(values.fields) : format === 'csv' ? FieldSelection.of(DEFAULT_CSV_FIELDS) : null;
  const options = decoderOptions(values);
  const decryption = decryptionOptions(values);
  if (decryption !== undefined) options.decryption = decryption;
  const sources = positionals.length === 0 ? ['-'] : positionals;
  checkSources(sources);
  if (positionals.length === 0 && (io.stdin as { isTTY?: boolean }).isTTY === true) {
    // a terminal on stdin: say why nothing happens
    io.stderr.write('dsmr-p1 parse: reading telegrams from stdin (end with Ctrl-D); give a file to read it instead\n');
  }

  const output = new Output(io, format, fields);
  const totals: Totals = { telegrams: 0, invalid: 0, setupErrors: 0, skippedBytes: 0 };
  const progress = Progress.for(io, sources);
  await output.begin();
  for (const source of sources) {
    const input: Readable = source === '-' ? io.stdin : createReadStream(source);
    const stream = createTelegramStream({
      ...options,
      onError: (error) => {
        totals.invalid++;
        if (isSetupError(error.code)) totals.setupErrors++;
        if (!values.quiet) reportInvalid(io, source, error, progress);
      },
    });
    input.on('error', (error) => stream.destroy(error));
    progress?.track(input);
    try {
      for await (const telegram of input.pipe(stream) as TelegramStream) {
        totals.telegrams++;
        await output.telegram(telegram as Telegram);
      }
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`cannot read ${sourceName(source)}: ${(error as Error).message}`);
    }
    totals.skippedBytes += stream.stats.skippedBytes;
  }
  progress?.done();
  await output.end();
  if (!values.quiet) {
    await write(
      io.stderr,
      `${totals.telegrams} telegram${totals.telegrams === 1 ? '' : 's'}, ${totals.invalid} invalid, ${totals.skippedBytes} bytes of garbage skipped\n`,
    );
  }
  return exitCode(totals.telegrams, totals.setupErrors);
}

function reportInvalid(io: CliIo, source: string, error: DsmrError, progress: Progress | null): void {
  const where = `${sourceName(source)}: byte ${error.frameOffset ?? '?'}`;
  const detail = error.message.split('\n')[0];
  progress?.clear();
  io.stderr.write(`${where}: ${error.code}: ${detail}\n`);
}

/** Writes telegrams in the chosen format, one at a time (the JSON array too). */
class Output {
  private first = true;

  constructor(
    private readonly io: CliIo,
    private readonly format: Format,
    private readonly fields: FieldSelection | null,
  ) {}

  async begin(): Promise<void> {
    if (this.format === 'json') await write(this.io.stdout, '[');
    if (this.format === 'table') await write(this.io.stdout, `${tableHeader().join('\n')}\n`);
    if (this.format === 'csv') await write(this.io.stdout, `${this.fields!.csvHeader()}\r\n`);
  }

  async telegram(t: Telegram): Promise<void> {
    const json = (): string => (this.fields === null ? toJson(t) : this.fields.json(t));
    if (this.format === 'ndjson') await write(this.io.stdout, `${json()}\n`);
    else if (this.format === 'table') await write(this.io.stdout, `${tableRow(t)}\n`);
    else if (this.format === 'csv') await write(this.io.stdout, `${this.fields!.csvRow(t)}\r\n`);
    else {
      await write(this.io.stdout, `${this.first ? '\n' : ',\n'}${json()}`);
      this.first = false;
    }
  }

  async end(): Promise<void> {
    if (this.format === 'json') await write(this.io.stdout, this.first ? ']\n' : '\n]\n');
  }
}

/** A progress bar on a terminal's stderr, for files large enough to wait for. */
class Progress {
  private read = 0;
  private shown = 0;
  private lastDraw = 0;

  private constructor(
    private readonly io: CliIo,
    private readonly total: number,
  ) {}

  static for(io: CliIo, sources: readonly string[]): Progress | null {
    if (io.stderr.isTTY !== true || sources.includes('-')) return null;
    const total = sources.reduce((sum, s) => sum + statSync(s).size, 0);
    return total >= 4 * 1024 * 1024 ? new Progress(io, total) : null;
  }

  track(input: Readable): void {
    input.on('data', (chunk: Uint8Array | string) => {
      this.read += chunk.length;
      const now = Date.now();
      if (now - this.lastDraw >= 100) this.draw(now);
    });
  }

  private draw(now: number): void {
    this.lastDraw = now;
    const width = 30;
    const fraction = Math.min(1, this.read / this.total);
    const filled = Math.round(fraction * width);
    const line = `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${(this.read / 1048576).toFixed(1)} of ${(this.total / 1048576).toFixed(1)} MB`;
    this.shown = line.length;
    this.io.stderr.write(`\r${line}`);
  }

  clear(): void {
    if (this.shown > 0) this.io.stderr.write(`\r${' '.repeat(this.shown)}\r`);
    this.shown = 0;
  }

  done(): void {
    this.clear();
  }
}
