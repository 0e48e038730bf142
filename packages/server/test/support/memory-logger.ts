import type { LogFields } from '@agent/core';
import type { AgentLogger } from '@agent/observability';

/** One captured log line. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields;
}

/** An `AgentLogger` that keeps its lines in memory, for assertions and a quiet test run. */
export function createMemoryLogger(
  lines: LogLine[] = [],
  base: LogFields = {},
): AgentLogger & { lines: LogLine[] } {
  const write =
    (level: LogLine['level']) =>
    (message: string, fields: LogFields = {}): void => {
      lines.push({ level, message, fields: { ...base, ...fields } });
    };
  return {
    lines,
    level: 'debug',
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => createMemoryLogger(lines, { ...base, ...fields }),
    close: async () => {},
  };
}
