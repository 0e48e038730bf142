import type { FinishReason, Usage } from '@agent/core';
import type { Attributes } from '@opentelemetry/api';

/**
 * Span attribute names: the OpenTelemetry GenAI semantic conventions (`gen_ai.*`, `error.type`),
 * plus `agent.*` for what the conventions have no name for. Spelled out here rather than taken
 * from `@opentelemetry/semantic-conventions`, whose GenAI names are still in its incubating entry
 * point and would be one more dependency for a handful of strings.
 */
export const GEN_AI_ATTRIBUTES = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  agentName: 'gen_ai.agent.name',
  conversationId: 'gen_ai.conversation.id',
  requestModel: 'gen_ai.request.model',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  usageCacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  usageCacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  toolName: 'gen_ai.tool.name',
  toolType: 'gen_ai.tool.type',
  toolCallId: 'gen_ai.tool.call.id',
  toolCallArguments: 'gen_ai.tool.call.arguments',
  toolCallResult: 'gen_ai.tool.call.result',
  errorType: 'error.type',
  /** Custom: the run id, to find a run's events and logs from its span. */
  runId: 'agent.run.id',
  /** Custom: the tenant the run belongs to. */
  tenant: 'agent.tenant',
  /** Custom: how the run ended: completed, failed or cancelled. */
  runStatus: 'agent.run.status',
  /** Custom: model calls the run made. */
  runSteps: 'agent.run.steps',
  /** Custom: what the run's model calls cost in US dollars, when the adapters know prices. */
  usageCostUsd: 'agent.usage.cost_usd',
} as const;

/** Values of `gen_ai.operation.name` this package emits. */
export const GEN_AI_OPERATIONS = {
  invokeAgent: 'invoke_agent',
  chat: 'chat',
  executeTool: 'execute_tool',
} as const;

const FINISH_REASONS: Record<FinishReason, string> = {
  stop: 'stop',
  'tool-calls': 'tool_call',
  length: 'length',
  'content-filter': 'content_filter',
  error: 'error',
  other: 'other',
};

/** The convention's spelling of a finish reason (`tool-calls` becomes `tool_call`). */
export function genAiFinishReason(reason: FinishReason): string {
  return FINISH_REASONS[reason] ?? String(reason);
}

/** The conventions' `error.type` when there is no better value. */
export const OTHER_ERROR_TYPE = '_OTHER';

/** The `gen_ai.usage.*` attributes of a usage. */
export function usageAttributes(usage: Usage): Attributes {
  const attributes: Attributes = {
    [GEN_AI_ATTRIBUTES.usageInputTokens]: usage.inputTokens,
    [GEN_AI_ATTRIBUTES.usageOutputTokens]: usage.outputTokens,
  };
  if (usage.cacheReadTokens !== undefined)
    attributes[GEN_AI_ATTRIBUTES.usageCacheReadInputTokens] = usage.cacheReadTokens;
  if (usage.cacheWriteTokens !== undefined) {
    attributes[GEN_AI_ATTRIBUTES.usageCacheCreationInputTokens] = usage.cacheWriteTokens;
  }
  return attributes;
}

/** `error.type` of a thrown value: an AgentError's code (`ABORTED`, ...), else its class name. */
export function errorTypeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name.length > 0) return name;
  }
  return OTHER_ERROR_TYPE;
}
