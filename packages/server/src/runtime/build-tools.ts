import { type AgentConfig, type AnyTool, ConfigError, ToolRegistry } from '@agent/core';

/** The tools of the server: the catalog, and which of them each agent gets. */
export interface BuiltTools {
  /** Every tool the config enables (`tools.builtins`, agents' `tools`) plus the extra tools given. */
  registry: ToolRegistry;
  /** The tools of each agent, by agent name, in the order the config lists them. */
  byAgent: Map<string, AnyTool[]>;
}

/** `weather@^1` names the tool `weather`; the version range is not enforced yet. */
export function toolName(reference: string): string {
  const at = reference.indexOf('@');
  return at === -1 ? reference : reference.slice(0, at);
}

/**
 * Resolves the tool names of the config against the catalog (the built-in tools and the extra
 * tools given, which win on a name clash). An unknown name is a `ConfigError` that lists the
 * available ones.
 */
export function buildTools(
  config: AgentConfig,
  builtins: readonly AnyTool[],
  extra: readonly AnyTool[],
): BuiltTools {
  const catalog = new Map<string, AnyTool>();
  for (const tool of [...builtins, ...extra]) catalog.set(tool.name, tool);
  const available = [...catalog.keys()].sort().join(', ') || 'none';
  const resolve = (reference: string, where: string): AnyTool => {
    const tool = catalog.get(toolName(reference));
    if (tool === undefined) {
      throw new ConfigError(
        `${where} names the unknown tool "${reference}". Available tools: ${available}. Fix the name, or remove it.`,
      );
    }
    return tool;
  };

  const enabled = new Map<string, AnyTool>();
  config.tools.builtins.forEach((reference, index) => {
    const tool = resolve(reference, `tools.builtins[${index}]`);
    enabled.set(tool.name, tool);
  });
  const byAgent = new Map<string, AnyTool[]>();
  for (const [agentName, agent] of Object.entries(config.agents)) {
    const tools = new Map<string, AnyTool>();
    agent.tools.forEach((reference, index) => {
      const tool = resolve(reference, `agents.${agentName}.tools[${index}]`);
      tools.set(tool.name, tool);
      enabled.set(tool.name, tool);
    });
    byAgent.set(agentName, [...tools.values()]);
  }
  for (const tool of extra) enabled.set(tool.name, tool);
  return { registry: new ToolRegistry(enabled.values()), byAgent };
}
