import type { AgentErrorJSON, AgentEvent, AgentEventType, LogFields, Logger } from '@agent/core';
import { ConfigError } from '@agent/core';
import type { EventSink } from './event-sink.js';
import { describe } from './sink-options.js';

/** A log level, or `'off'` to skip an event type. */
export type ConsoleSinkLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

/** Options of {@link createConsoleSink}. */
export interface ConsoleSinkOptions {
  /**
   * Also log content: run input and output, model messages, tool arguments and outputs, plan
   * text. Off by default because content is where personal data lives. @default false
   */
  verbose?: boolean;
  /** Log `model.text-delta` events (at debug). @default false */
  includeDeltas?: boolean;
  /** Per-type level overrides, e.g. `{ 'tool.called': 'debug', 'step.started': 'off' }`. @default {} */
  levels?: Partial<Record<AgentEventType, ConsoleSinkLevel>>;
}

const DEFAULT_LEVELS: Partial<Record<AgentEventType, ConsoleSinkLevel>> = {
  'model.text-delta': 'debug',
  'model.failed': 'warn',
  'tool.failed': 'warn',
  'ratelimit.limited': 'warn',
  'output.repaired': 'warn',
  'plan.step.failed': 'warn',
  'plan.replanned': 'warn',
  'run.cancelled': 'warn',
  'run.failed': 'error',
};

const LEVELS = new Set<ConsoleSinkLevel>(['debug', 'info', 'warn', 'error', 'off']);

/**
 * A sink that logs each event as one structured line through a {@link Logger}: the message is
 * the event type, the fields are `runId`, `seq`, `agent`, `tenant` and a compact summary of the
 * event (tool name, model, usage, durations, error code and message). Failures log at warn,
 * failed runs at error; text deltas are skipped unless `includeDeltas`.
 *
 * @example
 * ```ts
 * const logger = createLogger({ format: 'pretty' });
 * attachSinks(bus, [createConsoleSink(logger)]);
 * ```
 */
export function createConsoleSink(logger: Logger, options: ConsoleSinkOptions = {}): EventSink {
  if (typeof logger !== 'object' || logger === null || typeof logger.info !== 'function') {
    throw new ConfigError(
      `createConsoleSink needs a Logger as its first argument, got ${describe(logger)}. Pass createLogger() or any object with debug/info/warn/error.`,
    );
  }
  const levels = { ...DEFAULT_LEVELS, ...checkLevels(options.levels) };
  if (!options.includeDeltas && options.levels?.['model.text-delta'] === undefined) {
    levels['model.text-delta'] = 'off';
  }
  const verbose = options.verbose === true;
  return {
    handle(event) {
      const level = levels[event.type] ?? 'info';
      if (level === 'off') return;
      logger[level](event.type, eventFields(event, verbose));
    },
  };
}

function checkLevels(levels: ConsoleSinkOptions['levels']): ConsoleSinkOptions['levels'] {
  for (const [type, level] of Object.entries(levels ?? {})) {
    if (!LEVELS.has(level as ConsoleSinkLevel)) {
      throw new ConfigError(
        `createConsoleSink option "levels.${type}" must be one of debug, info, warn, error, off; got ${describe(level)}.`,
      );
    }
  }
  return levels;
}

/** The fields of one event's log line: identity, then a compact summary (content only when verbose). */
export function eventFields(event: AgentEvent, verbose: boolean): LogFields {
  const fields: LogFields = { runId: event.runId, seq: event.seq, agent: event.agent };
  if (event.tenant !== undefined) fields.tenant = event.tenant;
  if ('step' in event) fields.step = event.step;
  switch (event.type) {
    case 'run.started':
      if (event.conversationId !== undefined) fields.conversationId = event.conversationId;
      fields.inputChars = event.input.length;
      if (verbose) Object.assign(fields, { input: event.input, metadata: event.metadata });
      break;
    case 'model.requested':
      Object.assign(fields, {
        provider: event.provider,
        model: event.model,
        messageCount: event.messageCount,
        toolCount: event.toolCount,
      });
      break;
    case 'model.text-delta':
      fields.deltaChars = event.delta.length;
      if (verbose) fields.delta = event.delta;
      break;
    case 'model.responded':
      Object.assign(fields, {
        provider: event.provider,
        model: event.model,
        usage: event.usage,
        finishReason: event.finishReason,
        toolCalls: event.message.toolCalls?.length ?? 0,
        durationMs: event.durationMs,
      });
      if (verbose) fields.message = event.message;
      break;
    case 'model.failed':
      Object.assign(fields, { provider: event.provider, model: event.model, durationMs: event.durationMs });
      Object.assign(fields, errorFields(event.error));
      break;
    case 'tool.called':
      Object.assign(fields, { tool: event.toolCall.name, toolCallId: event.toolCall.id });
      if (verbose) fields.arguments = event.toolCall.arguments;
      break;
    case 'tool.succeeded':
      Object.assign(fields, {
        tool: event.toolName,
        toolCallId: event.toolCallId,
        durationMs: event.durationMs,
      });
      if (verbose) fields.output = event.output;
      break;
    case 'tool.failed':
      Object.assign(fields, {
        tool: event.toolName,
        toolCallId: event.toolCallId,
        durationMs: event.durationMs,
      });
      Object.assign(fields, errorFields(event.error));
      break;
    case 'ratelimit.limited':
      Object.assign(fields, {
        rule: event.rule,
        kind: event.kind,
        retryAfterMs: event.retryAfterMs,
        action: event.action,
      });
      break;
    case 'step.completed':
      Object.assign(fields, {
        usage: event.usage,
        finishReason: event.finishReason,
        toolCalls: event.toolCalls,
      });
      break;
    case 'output.repaired':
      // The validation message quotes the model's output: content.
      if (verbose) fields.errorMessage = event.error;
      break;
    case 'plan.created':
      Object.assign(fields, { attempt: event.attempt, planSteps: event.plan.steps.length });
      if (verbose) fields.plan = event.plan;
      break;
    case 'plan.step.started':
      fields.index = event.index;
      if (event.tool !== undefined) fields.tool = event.tool;
      if (verbose) fields.description = event.description;
      break;
    case 'plan.step.completed':
      fields.index = event.index;
      if (verbose) fields.output = event.output;
      break;
    case 'plan.step.failed':
      fields.index = event.index;
      Object.assign(fields, errorFields(event.error));
      break;
    case 'plan.replanned':
      fields.attempt = event.attempt;
      if (verbose) fields.reason = event.reason;
      break;
    case 'run.completed':
      Object.assign(fields, { usage: event.usage, steps: event.steps, durationMs: event.durationMs });
      if (verbose) fields.output = event.output;
      break;
    case 'run.failed':
      Object.assign(fields, { usage: event.usage, steps: event.steps, durationMs: event.durationMs });
      Object.assign(fields, errorFields(event.error));
      break;
    case 'run.cancelled':
      Object.assign(fields, {
        usage: event.usage,
        steps: event.steps,
        durationMs: event.durationMs,
        reason: event.reason,
      });
      break;
    case 'step.started':
      break;
  }
  return fields;
}

function errorFields(error: AgentErrorJSON): LogFields {
  return { errorCode: error.code, errorMessage: error.message, retryable: error.retryable };
}
