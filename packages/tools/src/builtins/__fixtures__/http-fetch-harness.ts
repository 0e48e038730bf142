import { gzipSync } from 'node:zlib';
import { testToolContext } from '@agent/core/testing';
import { httpFetch } from '../http-fetch.js';
import type { HttpFetchOptions, ResolveHost } from '../http-fetch-options.js';
import { type Route, startTestServer, type TestHttpServer } from './test-http-server.js';

/** The fake DNS the harness resolves with: every name a test uses, and what it resolves to. */
export const DNS: Record<string, string[]> = {
  'api.test': ['93.184.216.34'],
  'other.test': ['93.184.216.35'],
  'a.b.wild.test': ['93.184.216.36'],
  'private.test': ['10.0.0.5'],
  'mixed.test': ['93.184.216.34', '192.168.1.1'],
  'mapped.test': ['::ffff:127.0.0.1'],
  'v6.test': ['2606:2800:220:1:248:1893:25c8:1946'],
  'multi.test': ['93.184.216.40', '93.184.216.41'],
};

/** A running harness: the local server, what was resolved and dialed, and a tool maker. */
export interface HttpFetchHarness {
  server: TestHttpServer;
  resolved: string[];
  dialed: string[];
  /** Called when a request reaches `/hang`, which never answers. */
  hangs: Array<() => void>;
  /** Addresses the dial override sends to a closed port instead of the server. */
  deadAddresses: Set<string>;
  closedPort: number;
  tool(overrides?: Partial<HttpFetchOptions>): ReturnType<typeof httpFetch>;
  call(
    tool: ReturnType<typeof httpFetch>,
    input: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<unknown>;
}

const json = (body: unknown) => JSON.stringify(body);

/** Starts the local server with every route the http_fetch tests use. */
export async function startHttpFetchHarness(): Promise<HttpFetchHarness> {
  const hangs: Array<() => void> = [];
  const server = await startTestServer({
    '/json': (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(json({ hello: 'world' })),
    '/echo': (request, response, body) =>
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(
        json({
          method: request.method,
          host: request.headers.host,
          contentType: request.headers['content-type'] ?? null,
          contentLength: request.headers['content-length'] ?? null,
          authorization: request.headers.authorization ?? null,
          userAgent: request.headers['user-agent'],
          body,
        }),
      ),
    '/text': (_request, response) =>
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('plain text'),
    '/html': (_request, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end('<p>hi</p>'),
    '/latin1': (_request, response) =>
      response
        .writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' })
        .end(Buffer.from([0x63, 0x61, 0x66, 0xe9])),
    '/big': (_request, response) =>
      response.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(5000)),
    '/big-json': (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(json({ data: 'y'.repeat(5000) })),
    '/gzip': (_request, response) =>
      response
        .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
        .end(gzipSync(json({ zipped: true }))),
    '/zstd': (_request, response) =>
      response.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'zstd' }).end('??'),
    '/untyped': (_request, response) => response.writeHead(200).end('{"a":1}'),
    '/untyped-text': (_request, response) => response.writeHead(200).end('just words'),
    '/untyped-binary': (_request, response) => response.writeHead(200).end(Buffer.from([1, 0, 2, 0])),
    '/png': (_request, response) =>
      response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50])),
    '/not-json': (_request, response) =>
      response.writeHead(200, { 'content-type': 'text/plain' }).end('nope'),
    '/teapot': (_request, response) =>
      response.writeHead(418, { 'content-type': 'application/json' }).end(json({ error: 'teapot' })),
    '/hang': () => {
      for (const notify of hangs.splice(0)) notify();
    },
    '/slow-body': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('partial');
    },
    '/r1': redirect(302, '/r2'),
    '/r2': redirect(301, 'http://other.test/r3'),
    '/r3': redirect(307, '/json'),
    '/see-other': redirect(303, '/echo'),
    '/found': redirect(302, '/echo'),
    '/temporary': redirect(307, '/echo'),
    '/cross-origin': redirect(302, 'http://other.test/echo'),
    '/same-origin': redirect(302, '/echo'),
    '/to-metadata': redirect(302, 'http://169.254.169.254/latest/meta-data/'),
    '/to-stranger': redirect(302, 'http://stranger.test/stranger-hit'),
    '/to-private-dns': redirect(302, 'http://private.test/private-hit'),
    '/to-file': redirect(302, 'file:///etc/passwd'),
    '/to-invalid': redirect(302, 'http://[bad'),
    '/loop': redirect(302, '/loop'),
  });
  // Registered after start, because the redirect target needs the server's own port.
  server.routes['/to-loopback'] = redirect(302, `http://127.0.0.1:${server.port}/loopback-hit`);
  const resolved: string[] = [];
  const dialed: string[] = [];
  const deadAddresses = new Set<string>();
  const closedPort = await findClosedPort();
  const resolve: ResolveHost = async (hostname) => {
    resolved.push(hostname);
    const addresses = DNS[hostname];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const harness: HttpFetchHarness = {
    server,
    resolved,
    dialed,
    hangs,
    deadAddresses,
    closedPort,
    tool: (overrides = {}) =>
      httpFetch({
        allow: [
          'api.test',
          'other.test',
          '*.wild.test',
          'private.test',
          'mixed.test',
          'mapped.test',
          'v6.test',
          'multi.test',
        ],
        resolve,
        dialOverride: (address, port) => {
          dialed.push(`${address}:${port}`);
          return { host: '127.0.0.1', port: deadAddresses.has(address) ? closedPort : server.port };
        },
        ...overrides,
      }),
    call: (tool, input, signal) =>
      Promise.resolve(tool.execute(tool.input.parse(input), testToolContext({ signal }))),
  };
  return harness;
}

function redirect(status: number, location: string): Route {
  return (_request, response) =>
    response.writeHead(status, { location, 'content-type': 'text/plain' }).end('moved');
}

async function findClosedPort(): Promise<number> {
  const probe = await startTestServer({});
  const port = probe.port;
  await probe.close();
  return port;
}
