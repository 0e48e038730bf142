import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the test server saw. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A handler of the test server; gets the body already read. */
export type Route = (request: IncomingMessage, response: ServerResponse, body: string) => void;

/** A real HTTP server on 127.0.0.1 that records every request it receives. */
export interface TestHttpServer {
  port: number;
  seen: SeenRequest[];
  /** The routes, by path; add to it after start when a route needs the port. */
  routes: Record<string, Route>;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1, port 0. Unknown paths answer 404. */
export async function startTestServer(routes: Record<string, Route>): Promise<TestHttpServer> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const route = routes[path];
      if (route) route(request, response, body);
      else response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    seen,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
