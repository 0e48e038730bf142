import type {
  AgentEvent,
  AgentEventOf,
  AgentEventPayloads,
  AgentEventType,
  LogFields,
  Logger,
} from '@agent/core';
import type { Redactor } from '../../redact/redactor.js';

const usage = { inputTokens: 3, outputTokens: 5 };

const payloads: { [TType in AgentEventType]: AgentEventPayloads[TType] } = {
  'run.started': { input: 'hello alice@example.com', metadata: { source: 'test' } },
  'step.started': { step: 0 },
  'model.requested': { step: 0, provider: 'scripted', model: 'm-1', messageCount: 2, toolCount: 1 },
  'model.text-delta': { step: 0, delta: 'Hel' },
  'model.responded': {
    step: 0,
    provider: 'scripted',
    model: 'm-1',
    message: {
      role: 'assistant',
      content: 'secret answer',
      toolCalls: [{ id: 'c1', name: 'echo', arguments: {} }],
    },
    usage,
    finishReason: 'tool-calls',
    durationMs: 12,
  },
  'model.failed': {
    step: 0,
    provider: 'scripted',
    model: 'm-1',
    error: { name: 'ModelError', code: 'MODEL_OVERLOADED', message: 'overloaded', retryable: true },
    durationMs: 7,
  },
  'tool.called': { step: 0, toolCall: { id: 'c1', name: 'echo', arguments: { text: 'private words' } } },
  'tool.succeeded': { step: 0, toolCallId: 'c1', toolName: 'echo', output: 'private output', durationMs: 2 },
  'tool.failed': {
    step: 0,
    toolCallId: 'c1',
    toolName: 'broken',
    error: { name: 'ToolError', code: 'TOOL_FAILED', message: 'disk on fire', retryable: false },
    durationMs: 1,
  },
  'ratelimit.limited': { step: 0, rule: 'per-tenant', kind: 'calls', retryAfterMs: 500, action: 'wait' },
  'step.completed': { step: 0, usage, finishReason: 'stop', toolCalls: 1 },
  'output.repaired': { step: 0, error: 'expected "city", the model sent {"town":"Oslo"}' },
  'plan.created': {
    plan: { goal: 'private goal', steps: [{ description: 'look up', tool: 'echo' }] },
    attempt: 1,
  },
  'plan.step.started': { index: 0, description: 'look up the private thing', tool: 'echo' },
  'plan.step.completed': { index: 0, output: 'private step output' },
  'plan.step.failed': {
    index: 0,
    error: { name: 'PlanError', code: 'PLAN_FAILED', message: 'step failed', retryable: false },
  },
  'plan.replanned': { attempt: 2, reason: 'private reason' },
  'run.completed': { output: 'private final answer', usage, steps: 1, durationMs: 40 },
  'run.failed': {
    error: { name: 'ModelError', code: 'MODEL_AUTH', message: 'bad key', retryable: false },
    usage,
    steps: 1,
    durationMs: 41,
  },
  'run.cancelled': { reason: 'user aborted', usage, steps: 0, durationMs: 3 },
};

/** Every event type, in a plausible order. */
export const ALL_EVENT_TYPES = Object.keys(payloads) as AgentEventType[];

/** An event of `type` with sample payload; base fields from `base`. */
export function makeEvent<TType extends AgentEventType>(
  type: TType,
  base: { runId?: string; seq?: number; agent?: string; tenant?: string; timestamp?: number } = {},
): AgentEventOf<TType> {
  return {
    runId: base.runId ?? 'run-1',
    seq: base.seq ?? 0,
    timestamp: base.timestamp ?? 1_700_000_000_000,
    agent: base.agent ?? 'helper',
    ...(base.tenant === undefined ? {} : { tenant: base.tenant }),
    type,
    ...payloads[type],
  } as unknown as AgentEventOf<TType>;
}

/** {@link makeEvent} for a type only known at run time (e.g. looping over every type). */
export const makeAnyEvent = (type: AgentEventType): AgentEvent => makeEvent(type) as AgentEvent;

/**
 * A run of `count` events with contiguous seqs: `run.started`, then `step.started` events, then
 * `run.completed` (so `count >= 2`).
 */
export function makeRun(
  runId: string,
  count: number,
  options: { tenant?: string; agent?: string } = {},
): AgentEvent[] {
  const events: AgentEvent[] = [makeEvent('run.started', { runId, seq: 0, ...options })];
  for (let seq = 1; seq < count - 1; seq++)
    events.push(makeEvent('step.started', { runId, seq, ...options }));
  events.push(makeEvent('run.completed', { runId, seq: count - 1, ...options }));
  return events;
}

/** A redactor stand-in: replaces the word "private" and every email-like `x@y.z` in strings, deeply. */
export const stubRedactor: Redactor = {
  enabled: true,
  redactString: (text) =>
    text.replaceAll('private', '[REDACTED]').replace(/\S+@\S+\.\w+/g, '[REDACTED:email]'),
  redact<T>(value: T): T {
    if (typeof value === 'string') return stubRedactor.redactString(value) as T;
    if (Array.isArray(value)) return value.map((item) => stubRedactor.redact(item)) as T;
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, stubRedactor.redact(item)]),
      ) as T;
    }
    return value;
  },
};

/** One line a {@link RecordingLogger} received. */
export interface LoggedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields | undefined;
}

/** A Logger that records every line. */
export class RecordingLogger implements Logger {
  readonly lines: LoggedLine[] = [];
  debug(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'debug', message, fields });
  }
  info(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'error', message, fields });
  }
  child(): Logger {
    return this;
  }
}

/** A promise with its resolve and reject exposed. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets queued microtasks and pending I/O callbacks run. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
