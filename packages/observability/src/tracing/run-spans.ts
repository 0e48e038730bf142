import type { AgentEvent, AgentEventOf, RunIdentity, TerminalEvent } from '@agent/core';
import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  GEN_AI_ATTRIBUTES as ATTR,
  errorTypeOf,
  GEN_AI_OPERATIONS,
  genAiFinishReason,
  OTHER_ERROR_TYPE,
  usageAttributes,
} from './gen-ai-attributes.js';
import {
  assistantOutputMessages,
  runOutputMessages,
  type SpanContent,
  userInputMessages,
} from './span-content.js';

/** The spans of one run in flight. */
export interface RunState {
  readonly runId: string;
  readonly span: Span;
  /** The parent's context with the run span set: where the run's child spans go. */
  readonly context: Context;
  readonly startTime: number;
  /** Model calls in flight, oldest first (one at a time per step in practice). */
  readonly chats: { step: number; span: Span }[];
  /** Tool calls in flight, by tool call id. */
  readonly tools: Map<string, Span>;
  ended: boolean;
}

/** What {@link RunSpans} needs from the tracing options. */
export interface RunSpansOptions {
  tracer: Tracer;
  captureContent: boolean;
  content: SpanContent;
  maxActiveRuns: number;
}

/**
 * Builds GenAI spans from a run's events: `invoke_agent` per run, `chat` per model call and
 * `execute_tool` per tool call under it, timed by the events' timestamps. Holds per-run state
 * only while a run is in flight, and at most `maxActiveRuns` runs of it.
 */
export class RunSpans {
  private readonly runs = new Map<string, RunState>();

  constructor(private readonly options: RunSpansOptions) {}

  /** Runs with spans in flight. */
  get size(): number {
    return this.runs.size;
  }

  /** Starts a run's span as a child of `parent`, before its first event (the scope's path). */
  begin(run: RunIdentity, parent: Context, startTime: number): RunState {
    return this.startRun(run.runId, run.agent, run.tenant, parent, startTime);
  }

  /** Ends a run whose terminal event never came, e.g. when no tap listens; no-op once ended. */
  finish(state: RunState, error: unknown, endTime: number): void {
    if (state.ended) return;
    this.forget(state);
    if (error !== undefined) {
      const errorType = errorTypeOf(error);
      state.span.setAttribute(ATTR.errorType, errorType);
      state.span.setStatus({ code: SpanStatusCode.ERROR, message: this.errorMessage(error) });
      this.endRun(state, endTime, errorType);
    } else {
      this.endRun(state, endTime, OTHER_ERROR_TYPE);
    }
  }

  /** Turns one event into span work. May throw on a malformed event; the caller catches. */
  observe(event: AgentEvent): void {
    if (event.type === 'run.started') {
      this.onRunStarted(event);
      return;
    }
    const state = this.runs.get(event.runId);
    if (state === undefined) return;
    switch (event.type) {
      case 'model.requested':
        state.chats.push({ step: event.step, span: this.startChat(state, event, event.timestamp) });
        return;
      case 'model.responded':
        this.onModelResponded(state, event);
        return;
      case 'model.failed': {
        const span = this.takeChat(state, event);
        this.fail(span, event.error.code, event.error.message);
        span.end(new Date(event.timestamp));
        return;
      }
      case 'tool.called':
        this.onToolCalled(state, event);
        return;
      case 'tool.succeeded': {
        const span = this.takeTool(state, event);
        if (this.captures(span)) {
          span.setAttribute(ATTR.toolCallResult, this.options.content.value(event.output));
        }
        span.end(new Date(event.timestamp));
        return;
      }
      case 'tool.failed': {
        const span = this.takeTool(state, event);
        this.fail(span, event.error.code, event.error.message);
        span.end(new Date(event.timestamp));
        return;
      }
      case 'ratelimit.limited':
        state.span.addEvent(
          'agent.ratelimit.limited',
          {
            'agent.ratelimit.rule': event.rule,
            'agent.ratelimit.kind': event.kind,
            'agent.ratelimit.action': event.action,
            'agent.ratelimit.retry_after_ms': event.retryAfterMs,
          },
          new Date(event.timestamp),
        );
        return;
      case 'plan.created':
        state.span.addEvent(
          'agent.plan.created',
          { 'agent.plan.attempt': event.attempt, 'agent.plan.steps': event.plan.steps.length },
          new Date(event.timestamp),
        );
        return;
      case 'plan.step.failed':
        state.span.addEvent(
          'agent.plan.step.failed',
          { 'agent.plan.step.index': event.index, [ATTR.errorType]: event.error.code },
          new Date(event.timestamp),
        );
        return;
      case 'run.completed':
      case 'run.failed':
      case 'run.cancelled':
        this.onRunEnded(state, event);
        return;
      default:
        return;
    }
  }

  private onRunStarted(event: AgentEventOf<'run.started'>): void {
    // A scope made the span already; otherwise this tap runs inside the run, so the active
    // context is the run's caller's (an HTTP request's span, say).
    const state =
      this.runs.get(event.runId) ??
      this.startRun(event.runId, event.agent, event.tenant, context.active(), event.timestamp);
    const attributes: Attributes = {};
    if (event.conversationId !== undefined) attributes[ATTR.conversationId] = event.conversationId;
    if (this.captures(state.span)) {
      attributes[ATTR.inputMessages] = this.options.content.json(userInputMessages(event.input));
    }
    state.span.setAttributes(attributes);
  }

  /** Whether to record content on `span`: asked for, and the span is sampled (encoding is the costly part). */
  private captures(span: Span): boolean {
    return this.options.captureContent && span.isRecording();
  }

  private startRun(
    runId: string,
    agent: string,
    tenant: string | undefined,
    parent: Context,
    startTime: number,
  ): RunState {
    const attributes: Attributes = {
      [ATTR.operationName]: GEN_AI_OPERATIONS.invokeAgent,
      [ATTR.agentName]: agent,
      [ATTR.runId]: runId,
    };
    if (tenant !== undefined) attributes[ATTR.tenant] = tenant;
    const span = this.options.tracer.startSpan(
      `${GEN_AI_OPERATIONS.invokeAgent} ${agent}`,
      { kind: SpanKind.INTERNAL, startTime: new Date(startTime), attributes },
      parent,
    );
    const state: RunState = {
      runId,
      span,
      context: trace.setSpan(parent, span),
      startTime,
      chats: [],
      tools: new Map(),
      ended: false,
    };
    this.runs.set(runId, state);
    if (this.runs.size > this.options.maxActiveRuns) {
      // Runs whose end never came (a crashed process piece, a lost event) must not grow the map forever.
      const oldest = this.runs.values().next().value as RunState;
      this.forget(oldest);
      oldest.span.setAttribute(ATTR.errorType, OTHER_ERROR_TYPE);
      oldest.span.setStatus({
        code: SpanStatusCode.ERROR,
        message: 'Span ended early: too many runs in flight (maxActiveRuns).',
      });
      this.endRun(oldest, Date.now(), OTHER_ERROR_TYPE);
    }
    return state;
  }

  private startChat(state: RunState, event: AgentEventOf<'model.requested'> | ModelEnd, startTime: number) {
    return this.options.tracer.startSpan(
      `${GEN_AI_OPERATIONS.chat} ${event.model}`,
      {
        kind: SpanKind.CLIENT,
        startTime: new Date(startTime),
        attributes: {
          [ATTR.operationName]: GEN_AI_OPERATIONS.chat,
          [ATTR.providerName]: event.provider,
          [ATTR.requestModel]: event.model,
        },
      },
      state.context,
    );
  }

  private takeChat(state: RunState, event: ModelEnd): Span {
    const index = state.chats.findIndex((chat) => chat.step === event.step);
    if (index >= 0) return (state.chats.splice(index, 1)[0] as { span: Span }).span;
    // The request came before we listened: rebuild its start from the call's duration.
    return this.startChat(state, event, event.timestamp - event.durationMs);
  }

  private onModelResponded(state: RunState, event: AgentEventOf<'model.responded'>): void {
    const span = this.takeChat(state, event);
    const attributes: Attributes = {
      [ATTR.responseFinishReasons]: [genAiFinishReason(event.finishReason)],
      ...usageAttributes(event.usage),
    };
    if (this.captures(span)) {
      attributes[ATTR.outputMessages] = this.options.content.json(
        assistantOutputMessages(event.message, event.finishReason),
      );
    }
    span.setAttributes(attributes);
    span.end(new Date(event.timestamp));
  }

  private onToolCalled(state: RunState, event: AgentEventOf<'tool.called'>): void {
    const call = event.toolCall;
    const span = this.startTool(state, call.name, call.id, event.timestamp);
    if (this.captures(span)) {
      span.setAttribute(ATTR.toolCallArguments, this.options.content.json(call.arguments));
    }
    // A repeated call id must not leave the earlier span open for good.
    state.tools.get(call.id)?.end(new Date(event.timestamp));
    state.tools.set(call.id, span);
  }

  private startTool(state: RunState, name: string, id: string, startTime: number): Span {
    return this.options.tracer.startSpan(
      `${GEN_AI_OPERATIONS.executeTool} ${name}`,
      {
        kind: SpanKind.INTERNAL,
        startTime: new Date(startTime),
        attributes: {
          [ATTR.operationName]: GEN_AI_OPERATIONS.executeTool,
          [ATTR.toolName]: name,
          [ATTR.toolCallId]: id,
          [ATTR.toolType]: 'function',
        },
      },
      state.context,
    );
  }

  private takeTool(state: RunState, event: ToolEnd): Span {
    const span = state.tools.get(event.toolCallId);
    if (span !== undefined) {
      state.tools.delete(event.toolCallId);
      return span;
    }
    return this.startTool(state, event.toolName, event.toolCallId, event.timestamp - event.durationMs);
  }

  private onRunEnded(state: RunState, event: TerminalEvent): void {
    this.forget(state);
    const span = state.span;
    const attributes: Attributes = {
      ...usageAttributes(event.usage),
      [ATTR.runSteps]: event.steps,
    };
    if (event.usage.costUsd !== undefined) attributes[ATTR.usageCostUsd] = event.usage.costUsd;
    let orphanErrorType = OTHER_ERROR_TYPE;
    if (event.type === 'run.completed') {
      attributes[ATTR.runStatus] = 'completed';
      if (this.captures(span)) {
        attributes[ATTR.outputMessages] = this.options.content.json(runOutputMessages(event.output));
      }
    } else if (event.type === 'run.failed') {
      attributes[ATTR.runStatus] = 'failed';
      orphanErrorType = event.error.code;
      this.fail(span, event.error.code, event.error.message);
    } else {
      attributes[ATTR.runStatus] = 'cancelled';
      orphanErrorType = 'ABORTED';
      this.fail(span, 'ABORTED', event.reason);
    }
    span.setAttributes(attributes);
    this.endRun(state, event.timestamp, orphanErrorType);
  }

  /** Ends the run span and whatever it still has open (a tool cut off by a cancellation, say). */
  private endRun(state: RunState, endTime: number, orphanErrorType: string): void {
    state.ended = true;
    const orphans = [...state.chats.map((chat) => chat.span), ...state.tools.values()];
    state.chats.length = 0;
    state.tools.clear();
    for (const span of orphans) {
      span.setAttribute(ATTR.errorType, orphanErrorType);
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'The run ended before this operation did.' });
      span.end(new Date(endTime));
    }
    // Never before its start: a scope's span starts on the wall clock, events may use another clock.
    state.span.end(new Date(Math.max(endTime, state.startTime)));
  }

  private forget(state: RunState): void {
    if (this.runs.get(state.runId) === state) this.runs.delete(state.runId);
  }

  private fail(span: Span, errorType: string, message: string): void {
    span.setAttribute(ATTR.errorType, errorType);
    span.setStatus({ code: SpanStatusCode.ERROR, message: this.options.content.text(message) });
  }

  private errorMessage(error: unknown): string {
    return this.options.content.text(error instanceof Error ? error.message : String(error));
  }
}

type ModelEnd = AgentEventOf<'model.responded'> | AgentEventOf<'model.failed'>;
type ToolEnd = AgentEventOf<'tool.succeeded'> | AgentEventOf<'tool.failed'>;
