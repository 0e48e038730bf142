import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { Hono } from 'hono';

/** Anything the SDK can connect to a transport: `McpServer` or the low-level `Server`. */
export interface Connectable {
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 in this process. */
export interface InProcessServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves SDK-built MCP servers (a fresh one per request, stateless) over real HTTP in this
 * process, for tests that need a server our own code cannot build (odd tool names, paging).
 * `intercept` may answer a request itself (a misbehaving server) by returning a Response.
 */
export async function serveInProcess(
  makeServer: () => Connectable,
  intercept?: (body: unknown) => Response | undefined,
): Promise<InProcessServer> {
  const app = new Hono();
  app.post('/mcp', async (c) => {
    const body: unknown = await c.req.json();
    const answer = intercept?.(body);
    if (answer) return answer;
    const server = makeServer();
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw, { parsedBody: body });
    } finally {
      await server.close();
    }
  });
  app.on(['GET', 'DELETE'], '/mcp', (c) => c.body(null, 405));
  const http = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => http.once('listening', () => resolve()));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        if ('closeAllConnections' in http) http.closeAllConnections();
      }),
  };
}
