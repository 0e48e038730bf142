import type { z } from 'zod';
import type { AgentEvent } from '../events/agent-event.js';
import type { EventBus } from '../events/event-bus.js';
import type { ConversationMemory } from '../memory/conversation-memory.js';
import type { AssistantMessage, Message, ToolCall } from '../messages/message.js';
import type {
  FinishReason,
  LanguageModel,
  ModelRequest,
  ModelResponse,
  ModelSettings,
  Usage,
} from '../model/language-model.js';
import type { RateLimiter } from '../ratelimit/rate-limiter.js';
import type { AnyTool } from '../tools/define-tool.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import type { Sleep } from '../util/abort.js';
import type { Clock, IdGenerator } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { RunScope } from '../util/run-scope.js';

/** Identifies the run a hook is called for. */
export interface RunContext {
  runId: string;
  agent: string;
  tenant: string | undefined;
  step: number;
}

/**
 * Optional callbacks into the run loop. Each is awaited; a hook that throws fails the run (it is
 * your code, and silently ignoring it would hide bugs).
 */
export interface AgentHooks {
  /** Every event, synchronously, in order (before the bus sees it). Must not throw. */
  onEvent?(event: AgentEvent): void;
  /** Before each model call; may return a replacement request. */
  beforeModelCall?(
    request: ModelRequest,
    context: RunContext,
  ): ModelRequest | undefined | Promise<ModelRequest | undefined>;
  /** After each model call. */
  afterModelCall?(response: ModelResponse, context: RunContext): void | Promise<void>;
  /** Before each tool call. */
  beforeToolCall?(call: ToolCall, context: RunContext): void | Promise<void>;
  /** After each tool call, with its outcome. */
  afterToolCall?(
    call: ToolCall,
    outcome: { ok: boolean; output?: unknown; content: string },
    context: RunContext,
  ): void | Promise<void>;
}

/** How the run loop uses a rate limiter. */
export interface AgentLimiterOptions {
  limiter: RateLimiter;
  /** Wait for capacity, or fail the run with `RateLimitError`. @default 'wait' */
  onLimit?: 'wait' | 'fail';
  /** Longest total wait per model call before failing. @default 60_000 */
  maxWaitMs?: number;
}

/** Construction options of {@link Agent}. */
export interface AgentOptions {
  /** Unique agent name; appears in events, logs, metrics and rate-limit keys. */
  name: string;
  /** The system prompt. */
  instructions?: string;
  model: LanguageModel;
  /** Tools the model may call: an array or a registry. @default [] */
  tools?: readonly AnyTool[] | ToolRegistry;
  /** Conversation memory, used when a run passes `conversationId`. */
  memory?: ConversationMemory;
  /** Model calls per run before `MaxStepsError`. @default 10 */
  maxSteps?: number;
  /** Tool calls of one step run at most this many at a time. @default 4 */
  toolConcurrency?: number;
  /** Timeout of tools that set none, in ms. @default 60_000 */
  toolTimeoutMs?: number;
  /** Rate limiting before each model call. */
  limiter?: RateLimiter | AgentLimiterOptions;
  /** Where events go (the server's store, SSE and metrics subscribe here). */
  events?: EventBus;
  hooks?: AgentHooks;
  /**
   * Wraps each run so async context (log ids, the active span) covers everything done in it;
   * `instrument()` from `@agent/observability` returns one.
   */
  scope?: RunScope;
  /** Settings sent with every model call. */
  settings?: Omit<ModelSettings, 'responseFormat'>;
  logger?: Logger;
  /** @default the wall clock */
  clock?: Clock;
  /** @default random UUIDs */
  idGenerator?: IdGenerator;
  /** Used for rate-limit waits. @default a real, abortable sleep */
  sleep?: Sleep;
}

/** Options of one run. */
export interface RunOptions<TOutputSchema extends z.ZodType | undefined = undefined> {
  /** Cancels the run: the model call and running tools stop promptly. */
  signal?: AbortSignal;
  tenant?: string;
  /** Use this run id (idempotent retries); a random one otherwise. */
  runId?: string;
  /** Load and save conversation memory under this id. */
  conversationId?: string;
  /** Free-form data recorded in `run.started`. */
  metadata?: Record<string, unknown>;
  /** A zod schema: the run returns validated, typed structured output. */
  output?: TOutputSchema;
}

/** One model call and the tool calls it asked for. */
export interface StepResult {
  index: number;
  message: AssistantMessage;
  toolResults: { toolCallId: string; toolName: string; ok: boolean; content: string }[];
  usage: Usage;
  finishReason: FinishReason;
  durationMs: number;
}

/** The result of a completed run. Failed and cancelled runs throw a typed `AgentError` instead. */
export interface RunResult<TOutput = string> {
  runId: string;
  status: 'completed';
  /** The final text, or the validated structured output when `output` was given. */
  output: TOutput;
  /** The whole conversation of the run, system prompt first. */
  messages: Message[];
  steps: StepResult[];
  /** Tokens summed over every model call. */
  usage: Usage;
}

/** The output type for a run with (or without) an output schema. */
export type RunOutput<TOutputSchema extends z.ZodType | undefined> = TOutputSchema extends z.ZodType
  ? z.output<TOutputSchema>
  : string;
