/**
 * The page of `dsmr-p1 serve`: one self-contained HTML document (no CDN, no build step, works
 * offline). It listens to /events (EventSource reconnects by itself) and draws the last hour of
 * power as SVG, which needs no chart library: one polyline per direction and a few labels.
 */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Smart meter: dsmr-p1</title>
<link rel="icon" href="data:,">
<style>
  :root { --import: #c2410c; --export: #15803d; --muted: #6b7280; }
  body { font: 16px/1.45 system-ui, sans-serif; max-width: 56rem; margin: 1.5rem auto; padding: 0 1rem; color: #111827; }
  header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: 0.5rem; }
  h1 { font-size: 1.4rem; margin: 0; }
  #link { font-size: 0.9rem; }
  #link[data-state='connected'] { color: var(--export); }
  #link[data-state='reconnecting'], #link[data-state='idle'], #link[data-state='lost'], #link[data-state='ended'] { color: #b00020; }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 0.8rem; margin: 1rem 0; }
  .card { border: 1px solid #e5e7eb; border-radius: 0.5rem; padding: 0.7rem 0.9rem; }
  .card h2 { font-size: 0.8rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); margin: 0 0 0.2rem; }
  .value { font-size: 1.6rem; font-variant-numeric: tabular-nums; }
  .small { font-size: 0.85rem; color: var(--muted); }
  table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
  td, th { padding: 0.1rem 0.8rem 0.1rem 0; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  svg { width: 100%; height: 14rem; display: block; }
  .import { stroke: var(--import); } .export { stroke: var(--export); }
  #error { color: #b00020; font-size: 0.9rem; }
</style>
</head>
<body>
<header>
  <h1>Smart meter <span id="meter" class="small"></span></h1>
  <span id="link" role="status" data-state="connecting">connecting…</span>
</header>
<div class="cards">
  <section class="card"><h2>Power now</h2><div class="value" id="power">–</div><div class="small" id="power-detail"></div></section>
  <section class="card"><h2>Tariff</h2><div class="value" id="tariff">–</div><div class="small" id="time"></div></section>
  <section class="card"><h2>Today</h2><div class="value" id="today">–</div><div class="small" id="today-detail"></div></section>
  <section class="card"><h2>Gas</h2><div class="value" id="gas">–</div><div class="small" id="gas-detail"></div></section>
  <section class="card" id="demand-card" hidden><h2>Demand (15 min)</h2><div class="value" id="demand">–</div><div class="small" id="peak"></div></section>
  <section class="card" id="water-card" hidden><h2>Water</h2><div class="value" id="water">–</div></section>
  <section class="card" id="heat-card" hidden><h2>Heat</h2><div class="value" id="heat">–</div></section>
  <section class="card"><h2>Meter registers</h2><div id="registers" class="small">–</div></section>
</div>
<section>
  <h2 class="small">Power, last hour <span style="color: var(--import)">■ taken from the grid</span> <span style="color: var(--export)">■ fed into the grid</span></h2>
  <svg id="chart" viewBox="0 0 600 200" preserveAspectRatio="none" role="img" aria-label="power over the last hour"></svg>
</section>
<section><table id="phases"></table></section>
<p id="error"></p>
<p class="small" id="counts"></p>
<script>
'use strict';
const $ = (id) => document.getElementById(id);
const fmt = (value, digits, unit) => value === null || value === undefined ? '–' : value.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits }) + ' ' + unit;
const clock = (iso) => iso === null ? '' : new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const WINDOW = 3600 * 1000;
let points = [];

function setLink(state, text) {
  $('link').dataset.state = state;
  $('link').textContent = text;
}

function showStatus(status) {
  const text = { connecting: 'connecting to the meter…', connected: 'live', reconnecting: 'meter link lost, reconnecting', idle: 'no data from the meter, reconnecting', ended: 'the input ended' }[status.state];
  setLink(status.state, status.detail ? text + ' (' + status.detail + ')' : text);
  $('counts').textContent = status.telegrams + ' telegrams, ' + status.invalid + ' bad ones skipped';
  $('error').textContent = status.lastError ? 'Last error ' + clock(status.lastError.time) + ': ' + status.lastError.code + ': ' + status.lastError.message : '';
}

function showReading(r) {
  $('meter').textContent = r.meter + ' (' + r.profile + ')';
  const net = (r.power.imported ?? 0) - (r.power.exported ?? 0);
  $('power').textContent = fmt(Math.abs(net) * 1000, 0, 'W') + (net < 0 ? ' out' : '');
  $('power').dataset.kw = String(r.power.imported);
  $('power-detail').textContent = 'in ' + fmt(r.power.imported, 3, 'kW') + ' · out ' + fmt(r.power.exported, 3, 'kW');
  $('tariff').textContent = r.tariff === null ? '–' : (r.tariff.name ?? 'tariff ' + r.tariff.number);
  $('time').textContent = 'at ' + new Date(r.time).toLocaleString();
  $('today').textContent = fmt(r.today.imported, 3, 'kWh');
  $('today-detail').textContent = 'fed in ' + fmt(r.today.exported, 3, 'kWh') + (r.today.gas === null ? '' : ' · gas ' + fmt(r.today.gas, 3, 'm³')) + ' · since ' + new Date(r.today.since).toLocaleString();
  $('gas').textContent = r.gas === null ? '–' : fmt(r.gas.value, 3, 'm³');
  $('gas-detail').textContent = r.gas === null || r.gas.time === null ? '' : 'read at ' + clock(r.gas.time);
  const demand = r.demand.current !== null || r.demand.monthPeak !== null;
  $('demand-card').hidden = !demand;
  if (demand) {
    $('demand').textContent = fmt(r.demand.current, 3, 'kW');
    $('peak').textContent = r.demand.monthPeak === null ? '' : 'month peak ' + fmt(r.demand.monthPeak.value, 3, 'kW') + (r.demand.monthPeak.time ? ' on ' + new Date(r.demand.monthPeak.time).toLocaleString() : '');
  }
  for (const kind of ['water', 'heat']) {
    $(kind + '-card').hidden = r[kind] === null;
    if (r[kind] !== null) $(kind).textContent = fmt(r[kind].value, 3, r[kind].unit === 'm3' ? 'm³' : r[kind].unit ?? '');
  }
  $('registers').textContent = 'in ' + fmt(r.energy.imported, 3, 'kWh') + (r.energy.computed ? ' (T1+T2)' : '') + ' · out ' + fmt(r.energy.exported, 3, 'kWh');
  const rows = r.phases.map((p) => '<tr><td>L' + p.phase + '</td><td>' + fmt(p.voltage, 1, 'V') + '</td><td>' + fmt(p.current, 2, 'A') + '</td><td>' + fmt(p.powerImported, 3, 'kW') + '</td><td>' + fmt(p.powerExported, 3, 'kW') + '</td></tr>');
  $('phases').innerHTML = rows.length === 0 ? '' : '<tr><th>Phase</th><th>Voltage</th><th>Current</th><th>In</th><th>Out</th></tr>' + rows.join('');
}

function draw() {
  const svg = $('chart');
  if (points.length === 0) { svg.innerHTML = ''; return; }
  const end = points[points.length - 1].t;
  const max = Math.max(0.5, ...points.map((p) => Math.max(p.imported ?? 0, p.exported ?? 0))) * 1.1;
  const x = (t) => ((t - (end - WINDOW)) / WINDOW) * 600;
  const y = (kw) => 190 - (kw / max) * 180;
  const line = (key) => points.filter((p) => p[key] !== null).map((p) => x(p.t).toFixed(1) + ',' + y(p[key]).toFixed(1)).join(' ');
  svg.innerHTML =
    '<line x1="0" y1="190" x2="600" y2="190" stroke="#d1d5db"/>' +
    '<text x="2" y="12" font-size="11" fill="#6b7280">' + fmt(max, 1, 'kW') + '</text>' +
    '<text x="2" y="186" font-size="11" fill="#6b7280">−60 min</text><text x="570" y="186" font-size="11" fill="#6b7280">now</text>' +
    '<polyline class="import" fill="none" stroke-width="1.5" vector-effect="non-scaling-stroke" points="' + line('imported') + '"/>' +
    '<polyline class="export" fill="none" stroke-width="1.5" vector-effect="non-scaling-stroke" points="' + line('exported') + '"/>';
  svg.dataset.points = String(points.length);
}

const events = new EventSource('events');
events.addEventListener('snapshot', (event) => {
  const snapshot = JSON.parse(event.data);
  points = snapshot.history;
  showStatus(snapshot.status);
  if (snapshot.reading !== null) showReading(snapshot.reading);
  draw();
});
events.addEventListener('reading', (event) => {
  const { reading, point, status } = JSON.parse(event.data);
  points.push(point);
  while (points.length > 0 && points[0].t < point.t - WINDOW) points.shift();
  showReading(reading);
  showStatus(status);
  draw();
});
events.addEventListener('status', (event) => showStatus(JSON.parse(event.data)));
// EventSource retries by itself; say so meanwhile
events.addEventListener('error', () => setLink('lost', 'connection to dsmr-p1 serve lost, retrying…'));
</script>
</body>
</html>
`;
