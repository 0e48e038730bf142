import type { AddressInfo } from 'node:net';
import { type AgentConfig, ConfigError, type LanguageModel } from '@agent/core';
import type { AgentLogger } from '@agent/observability';
import { type ServerType, serve } from '@hono/node-server';
import { createAuthenticator } from '../auth/index.js';
import type { ServerRuntime } from '../contract.js';
import { mountDashboard } from '../dashboard/mount-dashboard.js';
import { createApp } from '../http/app.js';
import { createServerRuntime } from '../runtime/index.js';

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** The validated config (from `loadConfig` or `agentConfigSchema.parse`). */
  config: AgentConfig;
  /** Relative paths in the config (the SQLite file) resolve against it. */
  cwd: string;
  /** The config file, named in errors about plugins and MCP servers. @default `<cwd>/agent.config.yaml` */
  configFile?: string;
  /** Environment for API keys. @default process.env */
  env?: Record<string, string | undefined>;
  /** Overrides `server.host`. */
  host?: string;
  /** Overrides `server.port`; 0 picks a free port. */
  port?: number;
  /** Use this logger instead of one built from the config. */
  logger?: AgentLogger;
  /** Models by config name, replacing the configured ones (tests, embedding). */
  models?: Record<string, LanguageModel>;
  /**
   * Shut down gracefully on SIGTERM and SIGINT, then exit the process with 0 (1 if shutdown
   * failed). Off for embedding and tests, which call `close()` themselves. @default false
   */
  handleSignals?: boolean;
}

/** A listening server. */
export interface RunningServer {
  /** `http://host:port`, as a client would reach it. */
  readonly url: string;
  readonly port: number;
  readonly runtime: ServerRuntime;
  /**
   * Graceful shutdown: readiness turns 503 and new runs are refused at once, while the server
   * keeps answering; in-flight runs get `server.shutdownGraceMs` to finish, then are cancelled
   * (and recorded as cancelled); live SSE streams end with a final event; then the listener,
   * the store, Redis and the exporters are flushed and closed. Idempotent.
   */
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Builds the runtime from the config and serves the API (and the dashboard) on Node. Without
 * auth configured it binds to loopback only, and refuses any other address: an open agent
 * server spends your model budget for anyone who finds it.
 *
 * @example
 * ```ts
 * const { config } = await loadConfig('agent.config.yaml');
 * const server = await startServer({ config, cwd: process.cwd(), handleSignals: true });
 * console.log(`listening on ${server.url}`);
 * ```
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config } = options;
  const host = options.host ?? config.server.host;
  const port = options.port ?? config.server.port;
  const authenticator = createAuthenticator(config.server.auth);
  if (!authenticator.enabled && !LOOPBACK_HOSTS.has(host)) {
    throw new ConfigError(
      `Refusing to listen on ${host} without authentication: anyone who can reach it could run your agents. Configure server.auth (apiKeys or jwt), or listen on 127.0.0.1.`,
    );
  }
  const runtime = await createServerRuntime(config, {
    cwd: options.cwd,
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.models ? { models: options.models } : {}),
  });
  const { logger } = runtime;
  const app = createApp(runtime, authenticator, {
    ...(config.server.dashboard.enabled ? { dashboard: (target) => mountDashboard(target) } : {}),
  });

  let server: ServerType;
  try {
    server = await listen(app.fetch, host, port);
  } catch (error) {
    await runtime.close({ graceMs: 0 });
    throw error;
  }
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info('server listening', {
    url,
    auth: authenticator.enabled ? 'on' : 'off',
    dashboard: config.server.dashboard.enabled ? `${url}/dashboard` : 'off',
    demoModel: runtime.demoModel,
  });
  if (!authenticator.enabled) {
    logger.warn(
      'no auth configured: listening on loopback only; configure server.auth to serve other hosts',
      {
        host,
      },
    );
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= shutDown(server, runtime, config.server.shutdownGraceMs);
    return closing;
  };
  if (options.handleSignals) installSignalHandlers(close, logger);
  return { url, port: address.port, runtime, close };
}

function listen(fetch: (request: Request) => Response | Promise<Response>, hostname: string, port: number) {
  return new Promise<ServerType>((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once('error', reject);
  });
}

async function shutDown(server: ServerType, runtime: ServerRuntime, graceMs: number): Promise<void> {
  const { logger } = runtime;
  logger.info('shutting down: readiness is 503, new runs are refused', {
    active: runtime.runs.active,
    graceMs,
  });
  // Keep listening while runs drain, so load balancers can still read /ready (503) and clients
  // can still fetch results; the runtime refuses new runs meanwhile.
  // The runtime's close() logs the outcome; drain() runs once however often it is called.
  await runtime.runs.drain(graceMs);
  // Live SSE streams (the dashboard's) end with their final event once the fan-out closes.
  runtime.live.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    // Idle keep-alive sockets would hold close() open; streams ended above.
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    setTimeout(() => {
      if ('closeAllConnections' in server) server.closeAllConnections();
    }, 1_000).unref();
  });
  await runtime.close({ graceMs: 0 });
}

function installSignalHandlers(close: () => Promise<void>, logger: AgentLogger): void {
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info('signal received', { signal });
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
