import { noopLogger, type ToolContext } from '@agent/core';

/** A `ToolContext` for calling a tool's `execute` directly in tests. */
export function toolContext(signal: AbortSignal = new AbortController().signal): ToolContext {
  return {
    signal,
    runId: 'run-test',
    agent: 'test-agent',
    tenant: undefined,
    toolCallId: 'call-1',
    logger: noopLogger,
  };
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(
  promise: Promise<unknown> | unknown,
): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
