import { AgentError } from '@agent/core';

/** The `AgentError` a promise rejects with; fails the test when it resolves or rejects otherwise. */
export async function agentErrorOf(promise: Promise<unknown>): Promise<AgentError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!AgentError.isInstance(error)) throw new Error(`expected an AgentError, got ${String(error)}`);
  return error;
}
