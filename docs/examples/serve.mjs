// `npm run example`: serves web-serial.html, and dsmr-p1/web bundled from the package's build
// (dist/, parsimmon included) beside it, on http://localhost: a secure context, as Web Serial
// requires, and nothing from a CDN. Usage: node docs/examples/serve.mjs [--port 8080]
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const PAGE = fileURLToPath(new URL('web-serial.html', import.meta.url));
const WEB_ENTRY = fileURLToPath(new URL('../../dist/web.js', import.meta.url));

/** dsmr-p1/web as one browser module (the build imports parsimmon by name, which a page cannot). */
async function bundleWeb() {
  const result = await build({ entryPoints: [WEB_ENTRY], bundle: true, format: 'esm', platform: 'browser', minify: true, write: false, logLevel: 'silent' });
  return result.outputFiles[0].contents;
}

/** The server; rejects when dist/ is missing (run npm run build). */
export async function createExampleServer() {
  let web;
  try {
    web = await bundleWeb();
  } catch (error) {
    throw new Error(`cannot bundle dist/web.js (run npm run build first): ${error.message}`);
  }
  const routes = {
    '/': () => readFile(PAGE),
    '/web-serial.html': () => readFile(PAGE),
    '/dsmr-p1/web.js': async () => web,
  };
  const types = { '/dsmr-p1/web.js': 'text/javascript; charset=utf-8' };
  return createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const route = routes[path];
    if (route === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': types[path] ?? 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(await route());
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' } } });
  const server = await createExampleServer();
  server.listen(Number(values.port), '127.0.0.1', () => {
    console.log(`Web Serial example: http://localhost:${server.address().port}/  (Chrome or Edge; Ctrl-C stops)`);
  });
}
