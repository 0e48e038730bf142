import type { AgentErrorJSON } from '../errors/agent-error.js';
import type { AssistantMessage, ToolCall } from '../messages/message.js';
import type { FinishReason, Usage } from '../model/language-model.js';

/** Final states of a run. `running` only appears in stored run summaries. */
export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';

/** Fields every event carries. `seq` starts at 0 and is contiguous within a run. */
export interface AgentEventBase {
  runId: string;
  seq: number;
  /** Milliseconds since the epoch, from the runtime's clock. */
  timestamp: number;
  /** The agent (or planner-executor) name. */
  agent: string;
  /** The tenant the run belongs to, when known. */
  tenant?: string;
}

/** The payload of each event type, keyed by type. Add a type here and the union follows. */
export interface AgentEventPayloads {
  'run.started': { input: string; conversationId?: string; metadata?: Record<string, unknown> };
  'step.started': { step: number };
  'model.requested': {
    step: number;
    provider: string;
    model: string;
    messageCount: number;
    toolCount: number;
  };
  'model.text-delta': { step: number; delta: string };
  'model.responded': {
    step: number;
    provider: string;
    model: string;
    message: AssistantMessage;
    usage: Usage;
    finishReason: FinishReason;
    durationMs: number;
  };
  'model.failed': {
    step: number;
    provider: string;
    model: string;
    error: AgentErrorJSON;
    durationMs: number;
  };
  'tool.called': { step: number; toolCall: ToolCall };
  'tool.succeeded': {
    step: number;
    toolCallId: string;
    toolName: string;
    output: unknown;
    durationMs: number;
  };
  'tool.failed': {
    step: number;
    toolCallId: string;
    toolName: string;
    error: AgentErrorJSON;
    durationMs: number;
  };
  'ratelimit.limited': {
    step: number;
    rule: string;
    /** What ran out: calls or tokens. */
    kind: 'calls' | 'tokens';
    retryAfterMs: number;
    action: 'wait' | 'fail';
  };
  'step.completed': { step: number; usage: Usage; finishReason: FinishReason; toolCalls: number };
  'output.repaired': { step: number; error: string };
  'plan.created': { plan: PlanSummary; attempt: number };
  'plan.step.started': { index: number; description: string; tool?: string };
  'plan.step.completed': { index: number; output: string };
  'plan.step.failed': { index: number; error: AgentErrorJSON };
  'plan.replanned': { attempt: number; reason: string };
  'run.completed': { output: unknown; usage: Usage; steps: number; durationMs: number };
  'run.failed': { error: AgentErrorJSON; usage: Usage; steps: number; durationMs: number };
  'run.cancelled': { reason: string; usage: Usage; steps: number; durationMs: number };
}

/** A plan as carried in events: the steps' descriptions and tools. */
export interface PlanSummary {
  goal: string;
  steps: { description: string; tool?: string }[];
}

/** Every event type, e.g. `'tool.called'`. */
export type AgentEventType = keyof AgentEventPayloads;

/** The event of one type. */
export type AgentEventOf<TType extends AgentEventType> = AgentEventBase & {
  type: TType;
} & AgentEventPayloads[TType];

/** Any event a run emits: a union discriminated by `type`. */
export type AgentEvent = { [TType in AgentEventType]: AgentEventOf<TType> }[AgentEventType];

/** Event types that end a run. */
export const TERMINAL_EVENT_TYPES: ReadonlySet<AgentEventType> = new Set([
  'run.completed',
  'run.failed',
  'run.cancelled',
]);

/** An event that ends its run. */
export type TerminalEvent =
  | AgentEventOf<'run.completed'>
  | AgentEventOf<'run.failed'>
  | AgentEventOf<'run.cancelled'>;

/** True when the event ends its run. */
export const isTerminalEvent = (event: AgentEvent): event is TerminalEvent =>
  TERMINAL_EVENT_TYPES.has(event.type);
