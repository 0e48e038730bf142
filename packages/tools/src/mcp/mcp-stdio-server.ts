import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer, type McpServerOptions, type McpServerTools } from './mcp-server.js';

/** Options of {@link serveMcpStdio}. */
export interface McpStdioServerOptions extends McpServerOptions {
  /** Where requests come from. @default process.stdin */
  stdin?: Readable;
  /** Where responses go; nothing else may write to it. @default process.stdout */
  stdout?: Writable;
}

/** A running MCP server. */
export interface McpServerHandle {
  /** Stops serving; resolves once the transport is closed. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves our tools over stdin/stdout, the transport desktop clients (Claude Desktop, IDEs) use
 * when they spawn a server. Stdout then carries only protocol messages: log to stderr.
 *
 * @example
 * ```ts
 * // my-tools.ts, started by the client as `node my-tools.js`
 * const server = await serveMcpStdio([add, weather], { name: 'my-tools', version: '1.0.0' });
 * process.on('SIGTERM', () => void server.close());
 * ```
 */
export async function serveMcpStdio(
  tools: McpServerTools,
  options: McpStdioServerOptions,
): Promise<McpServerHandle> {
  const server = createMcpServer(tools, options);
  await server.connect(new StdioServerTransport(options.stdin, options.stdout));
  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= server.close();
      return closing;
    },
  };
}
