import { ConfigError, type ConfigIssue } from '@agent/core';
import type { PluginFailure } from './load-plugins-types.js';

/** A plugin that failed, with its position in the config's `plugins` list. */
export interface IndexedFailure {
  index: number;
  failure: PluginFailure;
}

/**
 * The one error strict mode throws: a `ConfigError` listing every failure, with a config issue
 * per failing entry (`plugins.<index>`) and the single failure, or all of them, as the cause.
 */
export function strictModeError(failures: readonly IndexedFailure[], file: string): ConfigError {
  const issues: ConfigIssue[] = failures.map(({ index, failure }) => {
    const fix = failure.error.details?.fix;
    return {
      file,
      path: `plugins.${index}`,
      message: failure.error.message,
      fix: typeof fix === 'string' ? fix : 'see the message',
    };
  });
  const list = failures
    .map(({ failure }) => `  - [${failure.error.code}] ${failure.error.message}`)
    .join('\n');
  const count = failures.length === 1 ? '1 plugin' : `${failures.length} plugins`;
  return new ConfigError(
    `${count} failed to load (pluginMode: strict):\n${list}\nFix them, remove them from plugins, or set pluginMode: lenient to start without them.`,
    {
      issues,
      cause:
        failures.length === 1
          ? failures[0]?.failure.error
          : new AggregateError(failures.map(({ failure }) => failure.error)),
      details: {
        failures: failures.map(({ failure }) => ({ plugin: failure.plugin, code: failure.error.code })),
      },
    },
  );
}
