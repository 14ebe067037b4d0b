/** A static HTTP server on 127.0.0.1 (a secure context, as Web Serial requires) for the browser tests. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Served {
  body: string | Uint8Array;
  type: string;
}

export interface TestServer {
  origin: string;
  close(): Promise<void>;
}

export async function serve(routes: Record<string, Served>): Promise<TestServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const route = routes[path];
    if (route === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`no route ${path}`);
      return;
    }
    response.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
