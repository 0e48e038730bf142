/**
 * `@agent/core`: the agent runtime. Vendor-free and runtime-neutral (Web APIs only); the Node-only
 * config loader is at `@agent/core/node`, test doubles at `@agent/core/testing`.
 * @module
 */

// Agent
export { Agent } from './agent/agent.js';
export type {
  AgentHooks,
  AgentLimiterOptions,
  AgentOptions,
  RunContext,
  RunOptions,
  RunOutput,
  RunResult,
  StepResult,
} from './agent/agent-types.js';
export type { RunStream } from './agent/run-stream.js';
export type {
  AgentConfig,
  AgentConfigInput,
  AgentDefinition,
  McpServerConfig,
  ModelConfig,
  ObservabilityConfig,
  PluginEntry,
  RateLimitsConfig,
  ServerConfig,
  ToolsConfig,
} from './config/config-schema.js';
// Config (schema only; the loader is in @agent/core/node)
export { agentConfigSchema } from './config/config-schema.js';
export type { AgentErrorCode, AgentErrorJSON, AgentErrorOptions } from './errors/agent-error.js';
// Errors
export { AGENT_ERROR_CODES, AgentError, toAgentError } from './errors/agent-error.js';
export type {
  ConfigIssue,
  ModelErrorCode,
  ModelErrorOptions,
  PluginErrorCode,
  ToolErrorCode,
} from './errors/errors.js';
export {
  AbortedError,
  ConfigError,
  MaxStepsError,
  ModelError,
  PlanError,
  PluginError,
  RateLimitError,
  ToolError,
  ValidationError,
} from './errors/errors.js';
export type {
  AgentEvent,
  AgentEventBase,
  AgentEventOf,
  AgentEventPayloads,
  AgentEventType,
  PlanSummary,
  RunStatus,
  TerminalEvent,
} from './events/agent-event.js';
// Events
export { isTerminalEvent, TERMINAL_EVENT_TYPES } from './events/agent-event.js';
export type {
  EventBusOptions,
  EventHandler,
  SubscribeOptions,
  Subscription,
  Tap,
  TapOptions,
} from './events/event-bus.js';
export { EventBus } from './events/event-bus.js';
export type {
  EventStore,
  ListRunsQuery,
  RetentionPolicy,
  RunPage,
  RunSummary,
} from './events/event-store.js';
export type { MemoryEventStoreOptions } from './events/memory-event-store.js';
export { MemoryEventStore } from './events/memory-event-store.js';
export type { RunCursor } from './events/run-summary.js';
export { applyEventToSummary, decodeRunCursor, encodeRunCursor } from './events/run-summary.js';
// Memory
export type { ConversationMemory } from './memory/conversation-memory.js';
export type {
  InMemoryConversationMemoryOptions,
  MessageRetentionPolicy,
  MessageRetentionResult,
} from './memory/in-memory-conversation-memory.js';
export {
  applyRetention,
  estimateMessageTokens,
  InMemoryConversationMemory,
  SUMMARY_PREFIX,
} from './memory/in-memory-conversation-memory.js';
export type { InMemoryMemoryStoreOptions } from './memory/in-memory-memory-store.js';
export { InMemoryMemoryStore } from './memory/in-memory-memory-store.js';
export type { MemoryItem, MemorySearchResult, MemoryStore } from './memory/memory-store.js';
export type {
  AssistantMessage,
  Message,
  SystemMessage,
  ToolCall,
  ToolResultMessage,
  UserMessage,
} from './messages/message.js';
// Messages
export {
  assistantMessage,
  messageSchema,
  systemMessage,
  toolCallSchema,
  userMessage,
} from './messages/message.js';
export { estimateTokens } from './model/estimate-tokens.js';
export type {
  FinishReason,
  JsonSchemaResponseFormat,
  LanguageModel,
  ModelRequest,
  ModelRequestContext,
  ModelResponse,
  ModelSettings,
  ModelStreamEvent,
  ToolDefinition,
  Usage,
} from './model/language-model.js';
// Models and wrappers
export { addUsage, emptyUsage } from './model/language-model.js';
export type { ModelPrice, PriceTable } from './model/pricing.js';
export { costOf, findPrice } from './model/pricing.js';
export { collectStream, streamFromResponse } from './model/stream-utils.js';
export type { FallbackInfo, FallbackOptions } from './model/with-fallback.js';
export { isFallbackError, withFallback } from './model/with-fallback.js';
export type { ModelRateLimitOptions } from './model/with-rate-limit.js';
export { withRateLimit } from './model/with-rate-limit.js';
export type { RetryInfo, RetryOptions } from './model/with-retry.js';
export { withRetry } from './model/with-retry.js';
export { withTimeout } from './model/with-timeout.js';
export type { Plan, PlanStep } from './planner/plan.js';
export { createPlanSchema, planSchema } from './planner/plan.js';
// Planner-executor
export { PlannerExecutor } from './planner/planner-executor.js';
export type { PlannerExecutorOptions } from './planner/planner-executor-types.js';
export type {
  AcquirePolicyOptions,
  RateLimitAction,
  RateLimitRefusal,
} from './ratelimit/acquire-with-policy.js';
export { acquireWithPolicy } from './ratelimit/acquire-with-policy.js';
export type { MemoryRateLimiterOptions } from './ratelimit/memory-rate-limiter.js';
export { MemoryRateLimiter } from './ratelimit/memory-rate-limiter.js';
export type {
  RateLimitDecision,
  RateLimitDimension,
  RateLimiter,
  RateLimitRequest,
  RateLimitReservation,
  RateLimitRule,
  RateLimitScope,
} from './ratelimit/rate-limiter.js';
// Rate limiting
export { rateLimitKey } from './ratelimit/rate-limiter.js';
export { validateRateLimitRules } from './ratelimit/validate-rate-limit-rules.js';
export type { AnyTool, Tool, ToolContext, ToolDeprecation, ToolSpec } from './tools/define-tool.js';
// Tools
export { defineTool } from './tools/define-tool.js';
export type { ToolCallEnvironment, ToolCallOutcome } from './tools/execute-tool-call.js';
export { executeToolCall } from './tools/execute-tool-call.js';
export { ToolRegistry } from './tools/tool-registry.js';
export type { Sleep } from './util/abort.js';
export { linkedAbort, sleep, type TimedAbort, throwIfAborted, timedAbort } from './util/abort.js';
export type { Clock, IdGenerator } from './util/clock.js';
// Utilities
export { randomId, systemClock } from './util/clock.js';
export type { LogFields, Logger } from './util/logger.js';
export { noopLogger } from './util/logger.js';
export type { RunIdentity, RunScope } from './util/run-scope.js';
