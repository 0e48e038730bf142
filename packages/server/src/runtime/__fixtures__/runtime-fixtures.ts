import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentConfig, type AgentConfigInput, agentConfigSchema, type LogFields } from '@agent/core';
import type { AgentLogger, LogLevel } from '@agent/observability';
import type { Principal } from '../../contract.js';

/** One captured log line. */
export interface LogLine {
  level: LogLevel;
  message: string;
  fields: LogFields | undefined;
}

/** An `AgentLogger` that keeps its lines in memory, so tests can read the warnings. */
export function recordingLogger(): AgentLogger & { lines: LogLine[]; closed: boolean } {
  const lines: LogLine[] = [];
  const logger = {
    lines,
    closed: false,
    level: 'debug' as LogLevel,
    debug: (message: string, fields?: LogFields) => lines.push({ level: 'debug', message, fields }),
    info: (message: string, fields?: LogFields) => lines.push({ level: 'info', message, fields }),
    warn: (message: string, fields?: LogFields) => lines.push({ level: 'warn', message, fields }),
    error: (message: string, fields?: LogFields) => lines.push({ level: 'error', message, fields }),
    child: () => logger,
    close: async () => {
      logger.closed = true;
    },
  };
  return logger as AgentLogger & { lines: LogLine[]; closed: boolean };
}

/** A validated config: one OpenAI model `main`, one agent `assistant` with the demo tools, memory store, no metrics. */
export function testConfig(overrides: Partial<AgentConfigInput> = {}): AgentConfig {
  return agentConfigSchema.parse({
    models: { main: { provider: 'openai', model: 'gpt-4o-mini' } },
    agents: {
      assistant: {
        model: 'main',
        instructions: 'Be brief.',
        description: 'Helps.',
        tools: ['current_time', 'word_count'],
      },
    },
    observability: { logLevel: 'error', events: { store: 'memory' }, metrics: { enabled: false } },
    ...overrides,
  });
}

export const acme: Principal = {
  subject: 'acme-key',
  tenant: 'acme',
  scopes: new Set(['runs:write', 'runs:read']),
  method: 'api-key',
};

/** A temporary directory, removed by the returned function. */
export async function temporaryDirectory(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'agent-server-runtime-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
