import {
  Agent,
  type AgentConfig,
  type AgentOptions,
  type AnyTool,
  type Clock,
  InMemoryConversationMemory,
  PlannerExecutor,
  type RateLimiter,
} from '@agent/core';
import type { Instrumentation } from '@agent/observability';
import { composeScopes } from '@agent/observability';
import type { AgentInfo } from '../contract.js';
import type { RunnableAgent } from '../runs/run-manager.js';
import type { BuiltModel } from './build-models.js';
import { createTenantMemory } from './tenant-memory.js';

/** What {@link buildAgents} needs besides the config. */
export interface BuildAgentsOptions {
  models: ReadonlyMap<string, BuiltModel>;
  toolsByAgent: ReadonlyMap<string, AnyTool[]>;
  limiter: RateLimiter;
  telemetry: Instrumentation;
  clock?: Clock;
}

/** Conversations kept per agent, and how long an idle one is kept. */
const MEMORY_LIMITS = { maxConversations: 10_000, ttlMs: 24 * 3_600_000 };

/**
 * Builds `agents.<name>`: an `Agent`, or a `PlannerExecutor` when `planner` is set, all on the
 * telemetry's bus and scope, the shared limiter and tenant-scoped conversation memory.
 */
export function buildAgents(
  config: AgentConfig,
  options: BuildAgentsOptions,
): { agents: Map<string, RunnableAgent>; infos: AgentInfo[] } {
  const agents = new Map<string, RunnableAgent>();
  const infos: AgentInfo[] = [];
  const limits = config.rateLimits;
  const limiter: AgentOptions['limiter'] = {
    limiter: options.limiter,
    onLimit: limits.onLimit,
    ...(limits.maxWaitMs !== undefined ? { maxWaitMs: limits.maxWaitMs } : {}),
  };
  const modelOf = (name: string): BuiltModel => options.models.get(name) as BuiltModel;

  for (const [name, definition] of Object.entries(config.agents)) {
    const built = modelOf(definition.model);
    const tools = options.toolsByAgent.get(name) ?? [];
    const tenantMemory = createTenantMemory(new InMemoryConversationMemory(MEMORY_LIMITS));
    const settings = config.models[definition.model]?.settings;
    const shared = {
      name,
      instructions: definition.instructions,
      tools,
      toolConcurrency: definition.toolConcurrency,
      limiter,
      memory: tenantMemory.memory,
      ...options.telemetry.agentOptions,
      scope: composeScopes([options.telemetry.scope, tenantMemory.scope]),
      ...(settings !== undefined ? { settings } : {}),
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
    };
    let agent: RunnableAgent;
    if (definition.planner === undefined) {
      agent = new Agent({ ...shared, model: built.model, maxSteps: definition.maxSteps });
    } else {
      agent = new PlannerExecutor({
        ...shared,
        planner: modelOf(definition.planner.model ?? definition.model).model,
        executor: built.model,
        ...(definition.planner.maxReplans !== undefined ? { maxReplans: definition.planner.maxReplans } : {}),
      });
    }
    agents.set(name, agent);
    infos.push({
      name,
      description: definition.description,
      kind: definition.planner === undefined ? 'agent' : 'planner-executor',
      model: { name: definition.model, provider: built.provider, model: built.modelId },
      tools: tools.map((tool) => tool.name),
    });
  }
  return { agents, infos };
}
