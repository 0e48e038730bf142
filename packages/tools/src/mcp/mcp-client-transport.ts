import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ResolvedMcpOptions } from './mcp-client-options.js';

// What a dying server printed is the best clue to why; keep its tail for error messages.
const STDERR_TAIL_CHARS = 2000;

/** A fresh client transport, and the tail of what a stdio server wrote to stderr (else ''). */
export interface McpClientTransport {
  transport: Transport;
  stderrTail(): string;
}

/**
 * A new transport for one connection attempt: a spawned child process for stdio (stderr piped,
 * logged at debug and its tail kept), or a new streamable HTTP client (new session) for http.
 */
export function createClientTransport(options: ResolvedMcpOptions): McpClientTransport {
  if (options.transport === 'http') {
    const transport = new StreamableHTTPClientTransport(options.url, {
      requestInit: options.headers === undefined ? {} : { headers: { ...options.headers } },
    });
    return { transport, stderrTail: () => '' };
  }
  const transport = new StdioClientTransport({
    command: options.command,
    args: options.args,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    // Piped, not inherited: a server's chatter must not interleave with the host's own output.
    stderr: 'pipe',
  });
  let tail = '';
  transport.stderr?.on('data', (chunk: Buffer | string) => {
    const text = chunk.toString();
    options.logger.debug('MCP server stderr', { text: text.slice(-STDERR_TAIL_CHARS) });
    tail = (tail + text).slice(-STDERR_TAIL_CHARS);
  });
  return { transport, stderrTail: () => tail.trim() };
}
