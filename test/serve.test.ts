/**
 * `dsmr-p1 serve`: the event stream and snapshot as a client sees them (the command spawned, fed
 * by the simulator on stdin), and the dashboard's state staying bounded over a long run.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Dashboard } from '../src/cli/dashboard/server.js';
import { PowerHistory } from '../src/cli/dashboard/history.js';
import { DayCounter } from '../src/cli/dashboard/reading.js';
import { MeterSimulator } from '../src/cli/simulator.js';
import { parseTelegram } from '../src/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** `dsmr-p1 serve --port 0 -` with stdin open for the test to write telegrams into; resolves with its URL. */
async function startServe(): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts'), 'serve', '--port', '0', '-'], { cwd: ROOT });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { child, url };
}

/** Reads Server-Sent Events until `count` have come. */
async function readEvents(url: string, count: number, during?: () => void): Promise<{ event: string; data: unknown }[]> {
  const response = await fetch(`${url}events`);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: { event: string; data: unknown }[] = [];
  let buffer = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
      if (events.length === 1) during?.();
    }
  }
  await reader.cancel();
  return events;
}

describe('dsmr-p1 serve (spawned)', () => {
  it('pushes a snapshot, then each telegram as a reading with its values, on /events; /api/state and / too', async () => {
    const meter = new MeterSimulator({ profile: 'be', seed: 3, start: new Date('2024-06-01T10:00:00Z') });
    const { child, url } = await startServe();
    try {
      const first = meter.next();
      child.stdin.write(first);
      await expect.poll(async () => ((await (await fetch(`${url}api/state`)).json()) as { reading: unknown }).reading, { timeout: 10_000 }).not.toBeNull();

      const next = [meter.next(), meter.next()];
      const events = await readEvents(url, 3, () => child.stdin.write(next.join('')));
      expect(events.map((e) => e.event)).toEqual(['snapshot', 'reading', 'reading']);
      const snapshot = events[0]!.data as { reading: { power: { imported: number } }; history: unknown[]; status: { state: string; telegrams: number } };
      expect(snapshot.reading.power.imported).toBe(parseTelegram(first).electricity.power.imported);
      expect(snapshot.history).toHaveLength(1);
      expect(snapshot.status).toMatchObject({ state: 'connected', telegrams: 1 });
      for (const [i, text] of next.entries()) {
        const t = parseTelegram(text);
        const { reading, point } = events[i + 1]!.data as { reading: Record<string, any>; point: { t: number; imported: number } };
        expect(reading.power).toEqual({ imported: t.electricity.power.imported, exported: t.electricity.power.exported });
        expect(reading.energy).toEqual({ imported: t.electricity.imported.allTariffs, exported: t.electricity.exported.allTariffs, computed: true });
        expect(reading.demand.current).toBe(t.electricity.demand.current);
        expect(reading.gas.value).toBe(t.gas!.value);
        expect(reading.tariff).toEqual({ number: t.electricity.tariff, name: t.electricity.tariff === 1 ? 'day' : 'night' });
        expect(point).toEqual({ t: t.timestamp!.getTime(), imported: t.electricity.power.imported, exported: t.electricity.power.exported });
      }
      const page = await fetch(url);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain("new EventSource('events')");
      expect((await fetch(`${url}nothing`)).status).toBe(404);
      // the input ends: the page says so, the server stays
      child.stdin.end();
      await expect.poll(async () => ((await (await fetch(`${url}api/state`)).json()) as { status: { state: string } }).status.state, { timeout: 10_000 }).toBe('ended');
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});

describe('the dashboard over a long run', () => {
  it('holds one hour of power, however long it runs: the snapshot is as large after 50,000 telegrams as after 5,000', () => {
    const dashboard = new Dashboard('test');
    const meter = new MeterSimulator({ profile: 'nl5', seed: 9, start: new Date('2024-06-01T00:00:00Z') });
    const feed = (n: number) => {
      for (let i = 0; i < n; i++) dashboard.telegram(parseTelegram(meter.next()));
    };
    feed(5_000);
    const early = JSON.stringify(dashboard.snapshot()).length;
    expect(dashboard.snapshot().history).toHaveLength(3_600);
    feed(45_000);
    const snapshot = dashboard.snapshot();
    expect(snapshot.history).toHaveLength(3_600);
    expect(snapshot.history.at(-1)!.t - snapshot.history[0]!.t).toBeLessThanOrEqual(3_600_000);
    expect(JSON.stringify(snapshot).length).toBeLessThan(early * 1.05);
    expect(snapshot.status.telegrams).toBe(50_000);
    void dashboard.close();
  }, 60_000);

  it('PowerHistory drops points older than its window, and starts anew when the clock goes back', () => {
    const history = new PowerHistory(10_000, 100);
    for (let t = 0; t <= 30_000; t += 1_000) history.add({ t, imported: t / 1000, exported: null });
    expect(history.points().map((p) => p.t)).toEqual(Array.from({ length: 11 }, (_, i) => 20_000 + i * 1_000));
    expect(history.points()[0]).toEqual({ t: 20_000, imported: 20, exported: null });
    history.add({ t: 5_000, imported: 1, exported: 0 });
    expect(history.points()).toEqual([{ t: 5_000, imported: 1, exported: 0 }]);
  });

  it("today's use counts from the first reading of the local day, and starts again the next day", () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Europe/Amsterdam';
    try {
      const meter = new MeterSimulator({ profile: 'nl5', seed: 2, start: new Date('2024-06-01T21:59:50Z') });
      const counter = new DayCounter();
      const texts = Array.from({ length: 20 }, () => meter.next());
      const uses = texts.map((text) => {
        const t = parseTelegram(text);
        return { t, use: counter.use(t, t.timestamp!) };
      });
      // 23:59:50 local: the first ten are one day, then midnight starts the next
      const first = uses[0]!.t.electricity.imported.allTariffs!;
      expect(uses[9]!.use.since).toBe('2024-06-01T21:59:50.000Z');
      expect(uses[9]!.use.imported).toBe(Math.round((uses[9]!.t.electricity.imported.allTariffs! - first) * 1000) / 1000);
      expect(uses[10]!.use).toMatchObject({ since: '2024-06-01T22:00:00.000Z', imported: 0, exported: 0 });
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe('dsmr-p1 serve options', () => {
  const io = { stdin: process.stdin, stdout: process.stdout, stderr: { write: () => true } as never, env: {} };

  it('refuses a port out of range, a missing source, and a port already taken', async () => {
    const { serveCommand } = await import('../src/cli/serve-command.js');
    await expect(serveCommand(['--port', '70000', '-'], io)).rejects.toThrow('--port must be 0 to 65535');
    await expect(serveCommand([], io)).rejects.toThrow('give one source');
    const taken = new Dashboard('x');
    const url = await taken.listen(0, '127.0.0.1');
    try {
      await expect(serveCommand(['--port', new URL(url).port, '-'], io)).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
    } finally {
      await taken.close();
    }
  });
});
