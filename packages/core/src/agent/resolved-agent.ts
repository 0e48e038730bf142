import type { EventBus } from '../events/event-bus.js';
import type { ConversationMemory } from '../memory/conversation-memory.js';
import type { LanguageModel, ModelSettings } from '../model/language-model.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import type { Sleep } from '../util/abort.js';
import type { Clock, IdGenerator } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { RunScope } from '../util/run-scope.js';
import type { AgentHooks, AgentLimiterOptions } from './agent-types.js';

/** An agent's options with every default applied: what the run loop reads. */
export interface ResolvedAgent {
  name: string;
  instructions: string | undefined;
  model: LanguageModel;
  registry: ToolRegistry;
  memory: ConversationMemory | undefined;
  maxSteps: number;
  toolConcurrency: number;
  toolTimeoutMs: number;
  limiter: Required<AgentLimiterOptions> | undefined;
  events: EventBus | undefined;
  hooks: AgentHooks;
  scope: RunScope | undefined;
  settings: Omit<ModelSettings, 'responseFormat'> | undefined;
  logger: Logger;
  clock: Clock;
  idGenerator: IdGenerator;
  sleep: Sleep;
}
