import type { ToolContext } from '../tools/define-tool.js';
import { noopLogger } from '../util/logger.js';

/**
 * A `ToolContext` for calling a tool's `execute` directly in a test, outside an agent run. Each
 * call gets a signal of its own (a fresh `AbortController`), as the agent loop gives each tool
 * call its own, so an abort in one test never leaks into the next. Pass `overrides` for what the
 * test checks: a `signal` it aborts, a `tenant`, a `logger` that records. An undefined `signal`
 * gets a fresh one too.
 *
 * Defaults: `runId: 'test-run'`, `agent: 'test'`, `tenant: undefined`, `toolCallId: 'test-call'`,
 * `logger: noopLogger`.
 *
 * @example
 * ```ts
 * import { testToolContext } from '@agent/core/testing';
 *
 * const output = await weather.execute({ city: 'Oslo' }, testToolContext());
 *
 * const controller = new AbortController();
 * const pending = weather.execute({ city: 'Oslo' }, testToolContext({ signal: controller.signal }));
 * controller.abort();
 * ```
 */
export function testToolContext(overrides: Partial<ToolContext> = {}): ToolContext {
  return {
    runId: 'test-run',
    agent: 'test',
    tenant: undefined,
    toolCallId: 'test-call',
    logger: noopLogger,
    ...overrides,
    // Also when `overrides.signal` is present but undefined (an optional signal passed through):
    // a tool always needs a signal to listen to.
    signal: overrides.signal ?? new AbortController().signal,
  };
}
