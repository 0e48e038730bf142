import { AgentError, type LanguageModel, type ModelError, type ModelErrorCode } from '@agent/core';
import type { FakeLlmServer } from '@agent/fake-llm-server';
import { expect } from 'vitest';

/** Options of {@link describeLanguageModelConformance}. */
export interface ConformanceOptions {
  /** Build the adapter under test, pointed at the fake server. `timeoutMs` is the adapter's own per-call timeout option. */
  createModel(server: FakeLlmServer, options: { timeoutMs?: number }): LanguageModel;
  /** The provider the fake server should see ('openai' | 'anthropic'). */
  provider: 'openai' | 'anthropic';
}

/** What each group of conformance tests needs: the running server and a way to build the model. */
export interface ConformanceContext {
  options: ConformanceOptions;
  /** The fake server, started in `beforeAll`. */
  server(): FakeLlmServer;
  /** A fresh adapter pointed at the fake server. */
  model(options?: { timeoutMs?: number }): LanguageModel;
}

/** What a failed call must have produced, per the error table of ADR 0006. */
export interface ExpectedModelError {
  code: ModelErrorCode;
  /** Whether a retry may succeed; the table fixes it per code. */
  retryable: boolean;
  /** The vendor's HTTP status, when there was one. */
  status?: number;
}

/** Runs `call` and returns what it threw; fails the test when it did not throw. */
export async function captureError(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('Expected the model call to fail, but it succeeded.');
}

/** Reads a stream to its end, for calls that are expected to fail part way. */
export async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _event of stream) {
    // Only the failure matters here.
  }
}

/** Asserts `error` is a `ModelError` as ADR 0006 requires, and returns it typed. */
export function expectModelError(
  error: unknown,
  model: LanguageModel,
  expected: ExpectedModelError,
): ModelError {
  expect(AgentError.isInstance(error), `expected an AgentError, got ${String(error)}`).toBe(true);
  const modelError = error as ModelError;
  expect({ code: modelError.code, retryable: modelError.retryable }).toEqual({
    code: expected.code,
    retryable: expected.retryable,
  });
  expect(modelError.provider).toBe(model.provider);
  expect(modelError.modelId).toBe(model.modelId);
  if (expected.status !== undefined) expect(modelError.status).toBe(expected.status);
  // Messages are for people; an empty one helps nobody.
  expect(modelError.message.length).toBeGreaterThan(0);
  return modelError;
}

/** Asserts `error` is the `AbortedError` (code `ABORTED`) the caller's signal must produce. */
export function expectAborted(error: unknown): void {
  expect(AgentError.isInstance(error), `expected an AgentError, got ${String(error)}`).toBe(true);
  expect((error as AgentError).code).toBe('ABORTED');
}
