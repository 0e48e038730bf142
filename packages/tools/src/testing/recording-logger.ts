import type { LogFields, Logger } from '@agent/core';

/** One line a {@link recordingLogger} received. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields;
}

/**
 * A real `Logger` that keeps every line (children's included, with their bound fields) for
 * assertions: that a deprecated tool warned once, that a plugin logged what it should.
 *
 * @example
 * ```ts
 * const { logger, lines } = recordingLogger();
 * const loaded = await loadPluginForTest(plugin, { logger });
 * loaded.tool('weather@^1');
 * expect(lines.filter((line) => line.level === 'warn')).toHaveLength(1);
 * ```
 */
export function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const make = (bound: LogFields): Logger => {
    const log =
      (level: LogLine['level']) =>
      (message: string, fields: LogFields = {}) =>
        lines.push({ level, message, fields: { ...bound, ...fields } });
    return {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return { logger: make({}), lines };
}
