/**
 * `dsmr-p1 serve <source>`: a live dashboard in the browser, pushed by Server-Sent Events: power
 * now and over the last hour, tariff, today's use, gas, the Belgian demand, the link's state.
 */
import { parseArgs } from 'node:util';
import { EXIT_HELP, HELP_ROW, exitCode, integer, isSetupError, optionList } from './common.js';
import { Dashboard } from './dashboard/server.js';
import { CliError, write, type CliIo } from './io.js';
import { ONE_SOURCE, SOURCE_DESCRIPTION, SOURCE_HELP, SOURCE_OPTIONS, openSource } from './source.js';

export const SERVE_HELP = `Usage: dsmr-p1 serve [options] <source>

Serves a live dashboard of the meter at http://127.0.0.1:8080/: power now and over the last hour,
tariff, today's use, gas, the Belgian capacity tariff, the link's state and the last error.
${SOURCE_DESCRIPTION}

Options:
${optionList([
  ['--port N', 'the HTTP port (default 8080; 0: any free port)'],
  ['--host HOST', 'the address to listen on (default 127.0.0.1: this computer only;\n0.0.0.0 for every network the computer is on)'],
  ...SOURCE_HELP,
  HELP_ROW,
])}

Endpoints: / (the page), /events (Server-Sent Events: snapshot, reading, status), /api/state
(the last reading, the link and the last hour as JSON). Stop with Ctrl-C. ${EXIT_HELP}`;

export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      help: { type: 'boolean', short: 'h' },
      ...SOURCE_OPTIONS,
    },
  });
  if (values.help) {
    await write(io.stdout, `${SERVE_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError(ONE_SOURCE);
  const port = integer('--port', values.port);
  if (port > 65535) throw new CliError('--port must be 0 to 65535');
  const target = positionals[0]!;

  const dashboard = new Dashboard(target);
  let url: string;
  try {
    url = await dashboard.listen(port, values.host);
  } catch (error) {
    throw new CliError(`cannot listen on ${values.host}:${port}: ${(error as Error).message}`);
  }
  let source: Awaited<ReturnType<typeof openSource>>;
  try {
    source = await openSource(target, values, io);
  } catch (error) {
    await dashboard.close();
    throw error;
  }
  io.stderr.write(`dsmr-p1 serve: ${url} (reading ${target}; Ctrl-C stops)\n`);
  let telegrams = 0;
  let setupErrors = 0;
  dashboard.link('connected');
  source.on('telegram', (t) => {
    telegrams++;
    dashboard.telegram(t);
  });
  source.on('invalid', (e) => {
    if (isSetupError(e.code)) {
      setupErrors++;
      io.stderr.write(`dsmr-p1 serve: ${e.code}: ${e.message.split('\n')[0]}\n`);
    }
    dashboard.invalid(e);
  });
  source.on('reconnect', (info) => dashboard.link('reconnecting', info.error?.message ?? null));
  source.on('idle', (info) => dashboard.link('idle', `no data for ${info.idleTimeout / 1000} s`));
  source.on('open', () => dashboard.link('connected'));

  let stopped = false;
  const stopping = new Promise<void>((resolve) => {
    const stop = (): void => {
      stopped = true;
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  // a file or stdin ends; the page keeps showing its last reading until Ctrl-C
  await Promise.race([source.done.then(() => dashboard.link('ended')), stopping]);
  if (!stopped) await stopping;
  await source.close();
  await dashboard.close();
  return exitCode(telegrams, setupErrors);
}
