import type { Logger } from '@agent/core';
import { errorReason } from './error-reason.js';

/** A loaded plugin's dispose function and the name the config gives it. */
export interface PluginDisposer {
  source: string;
  dispose(): Promise<void>;
}

/**
 * `close()` of a load result: disposes every plugin once, last loaded first, however often it
 * is called.
 */
export function closer(loaded: readonly PluginDisposer[], logger: Logger): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= (async () => {
      // Last loaded first, like a stack: a later plugin may use what an earlier one set up.
      for (const plugin of [...loaded].reverse()) await disposeQuietly(plugin.dispose, plugin.source, logger);
    })();
    return closing;
  };
}

/** Runs a dispose function; a failure is logged, because closing must reach every plugin. */
export async function disposeQuietly(
  dispose: () => Promise<void>,
  source: string,
  logger: Logger,
): Promise<void> {
  try {
    await dispose();
  } catch (error) {
    logger.error(`Plugin "${source}" dispose failed: ${errorReason(error)}`, {
      plugin: source,
    });
  }
}
