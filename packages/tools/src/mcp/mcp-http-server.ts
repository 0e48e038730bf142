import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import { type McpServerOptions, type McpServerTools, mcpServerFactory } from './mcp-server.js';

/** Options of {@link createMcpHttpApp}. */
export interface McpHttpAppOptions extends McpServerOptions {
  /** Where the MCP endpoint is mounted. @default '/mcp' */
  path?: string;
  /** Larger request bodies are refused with 413 before they are parsed. @default 1048576 (1 MiB) */
  maxBodyBytes?: number;
  /**
   * Browser origins allowed to call the endpoint. A request that carries an `Origin` header not
   * listed here is refused with 403: the spec's guard against DNS rebinding, since a local
   * server is otherwise reachable from any web page. Clients outside browsers send no Origin.
   * @default []
   */
  allowedOrigins?: readonly string[];
}

/**
 * A Hono app that serves our tools over MCP streamable HTTP, stateless: every POST gets a fresh
 * server and transport, answered with plain JSON. No session state means no per-client memory,
 * no sticky routing behind a load balancer, and restarts clients do not notice. GET (a
 * server-to-client SSE stream) and DELETE (ending a session) answer 405, as the spec allows
 * for servers without those streams or sessions. A client that disconnects aborts its tool call.
 *
 * @example
 * ```ts
 * const app = new Hono();
 * app.use('/mcp', bearerAuth({ token })); // authentication is the host's job
 * app.route('/', createMcpHttpApp([add, weather], { name: 'my-tools', version: '1.0.0' }));
 * ```
 */
export function createMcpHttpApp(tools: McpServerTools, options: McpHttpAppOptions): Hono {
  const path = options.path ?? '/mcp';
  const maxRequestBodySize = options.maxBodyBytes ?? 1_048_576;
  const allowedOrigins = new Set(options.allowedOrigins ?? []);
  const newServer = mcpServerFactory(tools, options);
  const app = new Hono();
  app.use(path, async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && !allowedOrigins.has(origin)) {
      return c.json(jsonRpcError(`Origin "${origin}" is not allowed. Add it to allowedOrigins.`), 403);
    }
    await next();
  });
  app.post(path, async (c) => {
    const request = c.req.raw;
    const server = newServer();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      maxRequestBodySize,
    });
    await server.connect(transport);
    try {
      // Closing the server aborts the running tool's signal; the client is gone, nobody waits.
      return await Promise.race([transport.handleRequest(request), whenAborted(request.signal)]);
    } finally {
      await server.close();
    }
  });
  app.on(['GET', 'DELETE'], path, (c) =>
    c.json(jsonRpcError('Method not allowed: this server is stateless; send requests with POST.'), 405, {
      Allow: 'POST',
    }),
  );
  return app;
}

/** Options of {@link serveMcpHttp}. */
export interface McpHttpServerOptions extends McpHttpAppOptions {
  /** @default 0 (any free port; read it from `url`) */
  port?: number;
  /** Keep the default unless the server sits behind authentication. @default '127.0.0.1' */
  host?: string;
}

/** A running MCP HTTP server. */
export interface McpHttpServerHandle {
  /** The MCP endpoint, e.g. `http://127.0.0.1:43117/mcp`. */
  url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/**
 * Serves {@link createMcpHttpApp} on Node with `@hono/node-server`; resolves once listening.
 *
 * @example
 * ```ts
 * const server = await serveMcpHttp([add], { name: 'my-tools', version: '1.0.0', port: 3001 });
 * console.error(`MCP at ${server.url}`);
 * ```
 */
export async function serveMcpHttp(
  tools: McpServerTools,
  options: McpHttpServerOptions,
): Promise<McpHttpServerHandle> {
  const app = createMcpHttpApp(tools, options);
  const host = options.host ?? '127.0.0.1';
  const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostInUrl}:${port}${options.path ?? '/mcp'}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections would hold close() open until they time out.
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

function whenAborted(signal: AbortSignal): Promise<Response> {
  return new Promise((resolve) => {
    const gone = () => resolve(new Response(null, { status: 499 }));
    if (signal.aborted) gone();
    else signal.addEventListener('abort', gone, { once: true });
  });
}

function jsonRpcError(message: string): {
  jsonrpc: '2.0';
  error: { code: number; message: string };
  id: null;
} {
  return { jsonrpc: '2.0', error: { code: -32000, message }, id: null };
}
