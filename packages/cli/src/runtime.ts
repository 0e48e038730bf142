import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AgentConfig, LogFields } from '@agent/core';
import type { AgentLogger, LogLevel } from '@agent/observability';
import { createServerRuntime, type ServerRuntime } from '@agent/server';
import type { CliIo, Colors } from './io.js';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * A logger for one-shot commands: warnings and errors go to stderr as one short line each, so
 * stdout stays clean for output and `--json`.
 */
export function stderrLogger(io: CliIo, colors: Colors, level: LogLevel = 'warn'): AgentLogger {
  const threshold = LEVELS.indexOf(level);
  const write = (at: LogLevel, message: string, fields?: LogFields) => {
    if (LEVELS.indexOf(at) < threshold) return;
    const label =
      at === 'error' ? colors.red('error:') : at === 'warn' ? colors.yellow('warning:') : `${at}:`;
    const extra = fields !== undefined && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    io.stderr.write(`${label} ${message}${colors.dim(extra)}\n`);
  };
  const logger: AgentLogger = {
    level,
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: () => logger,
    close: async () => {},
  };
  return logger;
}

/**
 * `agent run` keeps events in memory unless the config file names a store itself: the schema's
 * default (SQLite) would leave a database file behind after every one-off run.
 */
export async function withDefaultMemoryStore(
  config: AgentConfig,
  files: readonly string[],
): Promise<AgentConfig> {
  const texts = await Promise.all(files.map((file) => readFile(file, 'utf8')));
  if (texts.some((text) => /^\s+store\s*:/m.test(text))) return config;
  return withMemoryStore(config);
}

/** The config with events kept in memory and no metrics: for listing agents and tools. */
export function withMemoryStore(config: AgentConfig): AgentConfig {
  return {
    ...config,
    observability: {
      ...config.observability,
      events: { ...config.observability.events, store: 'memory' },
    },
  } as AgentConfig;
}

/** Builds the server runtime for a command, logging warnings to stderr. */
export function openRuntime(
  config: AgentConfig,
  configFile: string,
  io: CliIo,
  logger: AgentLogger,
): Promise<ServerRuntime> {
  return createServerRuntime(config, { cwd: dirname(configFile), configFile, env: io.env, logger });
}
