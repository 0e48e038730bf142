import { sleep } from '@agent/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ResolvedMcpOptions } from './mcp-client-options.js';
import { createClientTransport } from './mcp-client-transport.js';
import { classifyMcpFailure, messageOf } from './mcp-failure.js';

/** Thrown when every connection attempt failed; carries the last attempt's error as cause. */
export class McpUnreachableError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'McpUnreachableError';
  }
}

/** What the connection tells its owner. */
export interface McpConnectionEvents {
  /** The server said its tool list changed. */
  onToolsChanged(): void;
  /** A connection was made after an earlier one was lost (the server may have new tools). */
  onReconnected(): void;
}

const CLIENT_INFO = { name: 'agent-sdk', version: '0.1.0' };
// Ending an HTTP session politely (DELETE) must not hold up shutdown; a stdio close is bounded by
// the SDK itself (stdin end, then SIGTERM and SIGKILL after 2 s each).
const SESSION_DELETE_GRACE_MS = 1000;

/**
 * One MCP server connection that heals itself: connects lazily, shares one connection attempt
 * among concurrent callers, notices when the transport closes (a stdio server died) or a request
 * cannot be delivered (an HTTP server is down or forgot our session), and reconnects with
 * exponential backoff on the next use (stdio: respawns the command; http: a new session).
 */
export class McpConnection {
  private current: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private everConnected = false;
  private readonly closed = new AbortController();
  /** How to make sure each client's server process is gone (stdio); kept beside the client. */
  private readonly stoppers = new WeakMap<Client, () => Promise<void>>();

  constructor(
    private readonly options: ResolvedMcpOptions,
    private readonly events: McpConnectionEvents,
  ) {}

  /** Whether a live connection is open right now. */
  get connected(): boolean {
    return this.current !== undefined;
  }

  /**
   * Runs `request` on a live client. When the request was not delivered (see
   * {@link classifyMcpFailure}) it reconnects and sends it once more; when the connection broke
   * mid-request it drops the connection so the next call reconnects, and rethrows.
   */
  async run<T>(request: (client: Client) => Promise<T>, signal: AbortSignal): Promise<T> {
    try {
      return await this.attempt(request, signal);
    } catch (error) {
      if (classifyMcpFailure(error) !== 'undelivered' || signal.aborted) throw error;
      // It never reached a server, so sending it once more (on a new connection) cannot run it twice.
      return this.attempt(request, signal);
    }
  }

  /** Closes the connection (a stdio server is stopped); later calls fail. Idempotent. */
  async close(): Promise<void> {
    if (this.closed.signal.aborted) return;
    this.closed.abort(new Error(`MCP server "${this.options.name}" connection was closed.`));
    const client = this.current ?? (await this.connecting?.catch(() => undefined));
    this.current = undefined;
    if (client) await this.closeClient(client);
  }

  private async client(signal: AbortSignal): Promise<Client> {
    if (this.closed.signal.aborted) throw this.closed.signal.reason;
    if (this.current) return this.current;
    if (!this.connecting) {
      this.connecting = this.connectWithBackoff().finally(() => {
        this.connecting = undefined;
      });
      // Callers may all give up (abort) before the attempt ends; its failure is not lost, just unwatched.
      this.connecting.catch(() => {});
    }
    return raceAbort(this.connecting, signal);
  }

  private async connectWithBackoff(): Promise<Client> {
    const { maxAttempts, initialDelayMs, maxDelayMs } = this.options.reconnect;
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        const client = await this.connectOnce();
        this.current = client;
        if (this.everConnected) this.events.onReconnected();
        this.everConnected = true;
        this.options.logger.info('MCP server connected', { attempt });
        return client;
      } catch (error) {
        if (this.closed.signal.aborted) throw this.closed.signal.reason;
        lastError = error;
        this.options.logger.warn('MCP server connection attempt failed', {
          attempt,
          maxAttempts,
          error: messageOf(error),
        });
      }
      if (attempt < maxAttempts) {
        await sleep(Math.min(initialDelayMs * 2 ** (attempt - 1), maxDelayMs), this.closed.signal);
      }
    }
    throw new McpUnreachableError(
      `could not connect after ${maxAttempts} attempt(s): ${messageOf(lastError)}`,
      { cause: lastError },
    );
  }

  private async connectOnce(): Promise<Client> {
    const { transport, stderrTail, stopProcess } = createClientTransport(this.options);
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    this.stoppers.set(client, stopProcess);
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.events.onToolsChanged());
    client.onclose = () => {
      if (this.current !== client) return;
      this.current = undefined;
      const stderr = stderrTail();
      this.options.logger.warn('MCP server disconnected; the next call reconnects', stderr ? { stderr } : {});
    };
    client.onerror = (error) => this.options.logger.debug('MCP transport error', { error: error.message });
    try {
      await client.connect(transport, { timeout: this.options.connectTimeoutMs, signal: this.closed.signal });
    } catch (error) {
      await this.closeClient(client);
      const stderr = stderrTail();
      throw stderr ? new Error(`${messageOf(error)} (server stderr: ${stderr})`, { cause: error }) : error;
    }
    // A close() that raced this attempt awaits `connecting` and closes the client it yields.
    return client;
  }

  private async attempt<T>(request: (client: Client) => Promise<T>, signal: AbortSignal): Promise<T> {
    const client = await this.client(signal);
    try {
      return await request(client);
    } catch (error) {
      const kind = classifyMcpFailure(error);
      if (kind === 'undelivered' || kind === 'lost') this.drop(client, error);
      throw error;
    }
  }

  private drop(client: Client, error: unknown): void {
    if (this.current !== client) return;
    this.current = undefined;
    this.options.logger.warn('MCP server connection lost; the next call reconnects', {
      error: messageOf(error),
    });
    void this.closeClient(client);
  }

  private async closeClient(client: Client): Promise<void> {
    const transport = client.transport;
    if (transport instanceof StreamableHTTPClientTransport && transport.sessionId !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SESSION_DELETE_GRACE_MS);
      });
      await Promise.race([transport.terminateSession().catch(() => {}), grace]);
      clearTimeout(timer);
    }
    await client.close().catch(() => {});
    await this.stoppers.get(client)?.();
  }
}

/** `promise`, or a rejection with the signal's reason as soon as `signal` aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
