import type { RunScope } from '@agent/core';
import { defaultLogContext, type LogContext } from './log-context.js';

/**
 * A {@link RunScope} that puts each run's `runId`, `agent` and `tenant` into the log context, so
 * every line logged anywhere inside the run carries them. Give it to the agent runtime; the ids
 * the edge already set (`requestId`) stay in place.
 *
 * @example
 * ```ts
 * const agent = new Agent({ name: 'assistant', model, scope: createLogScope() });
 * ```
 */
export function createLogScope(context: LogContext = defaultLogContext): RunScope {
  return {
    enter: (run, fn) => context.run({ runId: run.runId, agent: run.agent, tenant: run.tenant }, fn),
  };
}
