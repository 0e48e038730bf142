import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike, Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ResolvedMcpOptions } from './mcp-client-options.js';
import { TrackedStdioClientTransport } from './tracked-stdio-transport.js';

// What a dying server printed is the best clue to why; keep its tail for error messages.
const STDERR_TAIL_CHARS = 2000;
/** Largest JSON response read from an HTTP server: the bound the SDK's stdio transport has too. */
export const MAX_HTTP_RESPONSE_BYTES = 10 * 1024 * 1024;

/** A fresh client transport, and what is needed around it. */
export interface McpClientTransport {
  transport: Transport;
  /** The tail of what a stdio server wrote to stderr (else ''). */
  stderrTail(): string;
  /** After the client was closed: resolves once a stdio server process is gone (bounded). */
  stopProcess(): Promise<void>;
}

/**
 * A new transport for one connection attempt: a spawned child process for stdio (stderr piped,
 * logged at debug and its tail kept), or a new streamable HTTP client (new session) for http.
 */
export function createClientTransport(options: ResolvedMcpOptions): McpClientTransport {
  if (options.transport === 'http') {
    const transport = new StreamableHTTPClientTransport(options.url, {
      requestInit: options.headers === undefined ? {} : { headers: { ...options.headers } },
      fetch: cappedFetch(MAX_HTTP_RESPONSE_BYTES),
    });
    return { transport, stderrTail: () => '', stopProcess: async () => {} };
  }
  const transport = new TrackedStdioClientTransport({
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
  return { transport, stderrTail: () => tail.trim(), stopProcess: () => transport.stopProcess() };
}

/**
 * `fetch` that refuses JSON response bodies over `maxBytes` while reading them, so a hostile or
 * broken server cannot make us buffer without bound (`maxResultBytes` only cuts what the model
 * sees, after the whole body was read). SSE streams are long-lived and pass through unchanged.
 */
export function cappedFetch(maxBytes: number, baseFetch: FetchLike = fetch): FetchLike {
  return async (url, init) => {
    const response = await baseFetch(url, init);
    if (!response.body || !response.headers.get('content-type')?.includes('application/json')) {
      return response;
    }
    let seen = 0;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > maxBytes) {
            controller.error(new Error(`the response body exceeds ${maxBytes} bytes, so it was not read`));
          } else {
            controller.enqueue(chunk);
          }
        },
      }),
    );
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
