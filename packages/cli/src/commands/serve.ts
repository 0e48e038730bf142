import { dirname } from 'node:path';
import { startServer } from '@agent/server';
import { loadCliConfig, resolveConfigPath } from '../config.js';
import { type CommandContext, UsageError } from '../context.js';
import { EXIT_SUCCESS } from '../exit-codes.js';

/** Options of `agent serve`. */
export interface ServeOptions {
  config?: string;
  port?: string;
  host?: string;
}

/**
 * `agent serve`: the same server as apps/server, built from the config. Shuts down gracefully on
 * SIGTERM/SIGINT (and exits the process); in-process callers stop it with `io.signal`.
 */
export async function serve(options: ServeOptions, context: CommandContext): Promise<number> {
  const { io, out } = context;
  const port = options.port === undefined ? undefined : parsePort(options.port);
  const path = resolveConfigPath(options.config, io);
  const { config } = await loadCliConfig(path, io);
  const server = await startServer({
    config,
    cwd: dirname(path),
    configFile: path,
    env: io.env,
    handleSignals: true,
    ...(port !== undefined ? { port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
  });
  io.stdout.write(`${out.green('✓')} agent server listening on ${out.bold(server.url)}\n`);
  if (config.server.dashboard.enabled) io.stdout.write(`  dashboard: ${server.url}/dashboard\n`);
  if (server.runtime.demoModel) {
    io.stdout.write(`  ${out.yellow('note:')} no API key found; the built-in demo model answers\n`);
  }
  const { signal } = io;
  if (signal !== undefined) {
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await server.close();
  }
  // Without a signal the server keeps the process alive until SIGTERM/SIGINT.
  return EXIT_SUCCESS;
}

/** `--port` as a number from 0 to 65535, or a usage error. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new UsageError(`--port must be a number from 0 to 65535, got "${value}"`);
  }
  return port;
}
