import type { AgentErrorCode, AgentEvent, AgentEventBase, AgentEventOf, Usage } from '@agent/core';
import { SUITE_START } from './manual-clock.js';

/** Where a {@link RunEvents} run starts and who it belongs to. */
export interface RunEventsOptions {
  /** The agent's name. @default 'assistant' */
  agent?: string;
  /** The tenant; omitted from events when not given. */
  tenant?: string;
  /** Timestamp of `run.started` (ms). @default SUITE_START */
  startedAt?: number;
  /** Time between consecutive events (ms). @default 10 */
  eventIntervalMs?: number;
}

/**
 * Builds the events of one run the way the runtime emits them: each call returns the next event
 * with the next seq and a later timestamp, and model usage adds up so the terminal event carries
 * the run's total. `skip(n)` leaves a gap, as when a bus drops events for a slow subscriber.
 *
 * @example
 * ```ts
 * const run = new RunEvents('run-1', { tenant: 'acme' });
 * await store.append([run.started(), run.modelRequested(), run.modelResponded({ inputTokens: 12, outputTokens: 3 })]);
 * await store.append([run.completed()]);
 * ```
 */
export class RunEvents {
  /** The run's id, on every event. */
  readonly runId: string;
  private readonly agent: string;
  private readonly tenant: string | undefined;
  private readonly eventIntervalMs: number;
  private nextSeq = 0;
  private nextTimestamp: number;
  private step = 0;
  private toolCallCount = 0;
  private lastToolCall: { id: string; name: string } | undefined;
  private usageSoFar: Usage = { inputTokens: 0, outputTokens: 0 };

  constructor(runId: string, options: RunEventsOptions = {}) {
    this.runId = runId;
    this.agent = options.agent ?? 'assistant';
    this.tenant = options.tenant;
    this.eventIntervalMs = options.eventIntervalMs ?? 10;
    this.nextTimestamp = options.startedAt ?? SUITE_START;
  }

  /** The seq the next event will get. */
  get seq(): number {
    return this.nextSeq;
  }

  /** The timestamp the next event will get. */
  get timestamp(): number {
    return this.nextTimestamp;
  }

  /** The sum of the usage of every `model.responded` built so far. */
  get usage(): Usage {
    return { ...this.usageSoFar };
  }

  /** Skips `count` seqs (and their time), leaving a gap before the next event. */
  skip(count: number): this {
    this.nextSeq += count;
    this.nextTimestamp += count * this.eventIntervalMs;
    return this;
  }

  /** Gives the next event `timestamp`; later events follow it. */
  at(timestamp: number): this {
    this.nextTimestamp = timestamp;
    return this;
  }

  /** `run.started`, which sets the run's start time, agent and tenant. */
  started(input = 'What is the weather in Oslo today?'): AgentEventOf<'run.started'> {
    return { ...this.base(), type: 'run.started', input, metadata: { source: 'conformance' } };
  }

  /** `step.started` of the next step. */
  stepStarted(): AgentEventOf<'step.started'> {
    this.step++;
    return { ...this.base(), type: 'step.started', step: this.step };
  }

  /** `model.requested` for the current step. */
  modelRequested(): AgentEventOf<'model.requested'> {
    return {
      ...this.base(),
      type: 'model.requested',
      step: Math.max(this.step, 1),
      provider: 'openai',
      model: 'gpt-4o-mini',
      messageCount: 2 + 2 * this.toolCallCount,
      toolCount: 1,
    };
  }

  /**
   * `model.responded` with `usage`, which the run's summary adds up. With `toolName` the model
   * asks for that tool (finish reason `tool-calls`); without, it answers in text.
   */
  modelResponded(
    usage: Usage = { inputTokens: 120, outputTokens: 30 },
    toolName?: string,
  ): AgentEventOf<'model.responded'> {
    this.addUsage(usage);
    const message =
      toolName === undefined
        ? { role: 'assistant' as const, content: 'It is 7 °C and cloudy in Oslo.' }
        : {
            role: 'assistant' as const,
            content: '',
            toolCalls: [{ id: this.nextToolCallId(toolName), name: toolName, arguments: { city: 'Oslo' } }],
          };
    return {
      ...this.base(),
      type: 'model.responded',
      step: Math.max(this.step, 1),
      provider: 'openai',
      model: 'gpt-4o-mini',
      message,
      usage: { ...usage },
      finishReason: toolName === undefined ? 'stop' : 'tool-calls',
      durationMs: 840,
    };
  }

  /** `tool.called` for the tool the last `model.responded` asked for (or `toolName`). */
  toolCalled(toolName = 'weather', input: unknown = { city: 'Oslo' }): AgentEventOf<'tool.called'> {
    const id = this.lastToolCall?.name === toolName ? this.lastToolCall.id : this.nextToolCallId(toolName);
    return {
      ...this.base(),
      type: 'tool.called',
      step: Math.max(this.step, 1),
      toolCall: { id, name: toolName, arguments: input },
    };
  }

  /** `tool.succeeded` of the last tool call, with `output`. */
  toolSucceeded(output: unknown = { temperatureC: 7, sky: 'cloudy' }): AgentEventOf<'tool.succeeded'> {
    const call = this.lastToolCall ?? { id: this.nextToolCallId('weather'), name: 'weather' };
    return {
      ...this.base(),
      type: 'tool.succeeded',
      step: Math.max(this.step, 1),
      toolCallId: call.id,
      toolName: call.name,
      output,
      durationMs: 95,
    };
  }

  /** `run.completed`, carrying `usage` (by default the sum of the model usage so far). */
  completed(
    usage: Usage = this.usage,
    output: unknown = 'It is 7 °C and cloudy in Oslo.',
  ): AgentEventOf<'run.completed'> {
    return { ...this.base(), type: 'run.completed', output, usage: { ...usage }, ...this.totals() };
  }

  /** `run.failed` with error `code`, carrying `usage` (by default the sum so far). */
  failed(code: AgentErrorCode = 'MODEL_TIMEOUT', usage: Usage = this.usage): AgentEventOf<'run.failed'> {
    return {
      ...this.base(),
      type: 'run.failed',
      error: {
        name: 'ModelError',
        code,
        message: 'The model did not answer within 60000 ms.',
        retryable: true,
      },
      usage: { ...usage },
      ...this.totals(),
    };
  }

  /** `run.cancelled` with `reason`, carrying `usage` (by default the sum so far). */
  cancelled(reason = 'The client disconnected.', usage: Usage = this.usage): AgentEventOf<'run.cancelled'> {
    return { ...this.base(), type: 'run.cancelled', reason, usage: { ...usage }, ...this.totals() };
  }

  /**
   * A whole run of seven events: started, a model call asking for the weather tool, the tool,
   * a final model call and `run.completed` with the summed usage (200 in, 45 out).
   */
  completedRun(): AgentEvent[] {
    return [
      this.started(),
      this.modelRequested(),
      this.modelResponded({ inputTokens: 80, outputTokens: 15 }, 'weather'),
      this.toolCalled('weather'),
      this.toolSucceeded(),
      this.modelResponded({ inputTokens: 120, outputTokens: 30 }),
      this.completed(),
    ];
  }

  private base(): AgentEventBase {
    const event: AgentEventBase = {
      runId: this.runId,
      seq: this.nextSeq,
      timestamp: this.nextTimestamp,
      agent: this.agent,
      ...(this.tenant !== undefined ? { tenant: this.tenant } : {}),
    };
    this.nextSeq++;
    this.nextTimestamp += this.eventIntervalMs;
    return event;
  }

  private totals(): { steps: number; durationMs: number } {
    return { steps: Math.max(this.step, 1), durationMs: 1_250 };
  }

  private nextToolCallId(toolName: string): string {
    this.toolCallCount++;
    this.lastToolCall = { id: `call_${this.toolCallCount}`, name: toolName };
    return this.lastToolCall.id;
  }

  private addUsage(usage: Usage): void {
    const total = this.usageSoFar;
    total.inputTokens += usage.inputTokens;
    total.outputTokens += usage.outputTokens;
    if (usage.cacheReadTokens !== undefined)
      total.cacheReadTokens = (total.cacheReadTokens ?? 0) + usage.cacheReadTokens;
    if (usage.cacheWriteTokens !== undefined)
      total.cacheWriteTokens = (total.cacheWriteTokens ?? 0) + usage.cacheWriteTokens;
  }
}
