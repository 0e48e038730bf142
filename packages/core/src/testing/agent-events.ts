/**
 * Builders of valid events for tests of event stores, sinks and subscribers: each fills every
 * required field, so a test states only what it checks. Exported as `testEvents` from
 * `@agent/core/testing`.
 */
import type { AgentEventBase, AgentEventOf } from '../events/agent-event.js';

const noUsage = { inputTokens: 0, outputTokens: 0 };

function base(
  runId: string,
  seq: number,
  timestamp: number,
  agent = 'assistant',
  tenant?: string,
): AgentEventBase {
  return { runId, seq, timestamp, agent, ...(tenant !== undefined ? { tenant } : {}) };
}

/** `run.started` at seq 0. */
export const started = (runId: string, timestamp = 1_000, agent?: string, tenant?: string) =>
  ({
    ...base(runId, 0, timestamp, agent, tenant),
    type: 'run.started',
    input: 'hi',
  }) satisfies AgentEventOf<'run.started'>;

/** `step.started`, its step number equal to its seq. */
export const step = (runId: string, seq: number) =>
  ({ ...base(runId, seq, 1_000), type: 'step.started', step: seq }) satisfies AgentEventOf<'step.started'>;

/** `model.responded` with the given token counts. */
export const responded = (runId: string, seq: number, usage: AgentEventOf<'model.responded'>['usage']) =>
  ({
    ...base(runId, seq, 1_000),
    type: 'model.responded',
    step: 1,
    provider: 'test',
    model: 'test-model',
    message: { role: 'assistant', content: 'ok' },
    usage,
    finishReason: 'stop',
    durationMs: 5,
  }) satisfies AgentEventOf<'model.responded'>;

/** `run.completed` at `timestamp`. */
export const completed = (runId: string, seq: number, timestamp = 2_000, usage = noUsage) =>
  ({
    ...base(runId, seq, timestamp),
    type: 'run.completed',
    output: 'done',
    usage,
    steps: 1,
    durationMs: 5,
  }) satisfies AgentEventOf<'run.completed'>;

/** `run.failed` with error code `MODEL_TIMEOUT`. */
export const failed = (runId: string, seq: number, timestamp = 2_000) =>
  ({
    ...base(runId, seq, timestamp),
    type: 'run.failed',
    error: { name: 'ModelError', code: 'MODEL_TIMEOUT', message: 'slow', retryable: true },
    usage: noUsage,
    steps: 1,
    durationMs: 5,
  }) satisfies AgentEventOf<'run.failed'>;

/** `run.cancelled` at `timestamp`. */
export const cancelled = (runId: string, seq: number, timestamp = 2_000) =>
  ({
    ...base(runId, seq, timestamp),
    type: 'run.cancelled',
    reason: 'client left',
    usage: noUsage,
    steps: 1,
    durationMs: 5,
  }) satisfies AgentEventOf<'run.cancelled'>;
