import {
  type AgentConfig,
  type AnyTool,
  type Clock,
  ConfigError,
  type Logger,
  ToolError,
  ToolRegistry,
} from '@agent/core';
import {
  BUILTIN_TOOL_NAMES,
  createBuiltinTool,
  isBuiltinToolName,
  loadPlugins,
  parseToolReference,
  ToolCatalog,
} from '@agent/tools';
import { createDemoTools } from './demo-tools.js';
import { loadMcpServers } from './load-mcp-servers.js';

/** The tools of the server: every version of every tool, and which of them each agent gets. */
export interface BuiltTools {
  /** Every tool the server knows (built-ins in use, plugins, MCP servers, extra tools), all versions. */
  catalog: ToolCatalog;
  /** The tools of each agent, by agent name, in the order the config lists them. */
  byAgent: Map<string, AnyTool[]>;
  /** One tool per name: the version the agents use, else the highest. For listings and direct calls. */
  registry: ToolRegistry;
  /** Disposes plugins and closes MCP connections. */
  close(): Promise<void>;
}

/** Where the tools come from besides the config. */
export interface BuildToolsOptions {
  /** The config file's folder: plugin paths, `read_file` roots and MCP `cwd`s resolve against it. */
  cwd: string;
  /** The config file, named in the issues of plugin and MCP errors. */
  configFile: string;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  clock?: Clock;
  /** Tools given in code; they win over a built-in of the same name. */
  extra: readonly AnyTool[];
}

/**
 * Assembles the server's tools: the built-ins the config uses (`tools.builtins` and agents' tool
 * lists, each built from `tools.options.<name>`), the demo tool `word_count`, the `plugins`, the
 * `tools.mcp` servers and the extra tools; then resolves each agent's references (`weather`,
 * `weather@^2`) against that catalog. A plugin or MCP server that fails stops start-up in `strict`
 * `pluginMode` (one `ConfigError` listing every failure) and is logged and skipped in `lenient`.
 */
export async function buildTools(config: AgentConfig, options: BuildToolsOptions): Promise<BuiltTools> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const catalog = new ToolCatalog([], { logger: options.logger });
    const extraNames = new Set(options.extra.map((tool) => tool.name));
    for (const tool of options.extra) catalog.add(tool, 'code');
    const demoTools = createDemoTools().filter((tool) => !extraNames.has(tool.name));
    for (const tool of demoTools) catalog.add(tool, 'demo');
    const reserved = [...BUILTIN_TOOL_NAMES, ...demoTools.map((tool) => tool.name), ...extraNames];

    const plugins = await loadPlugins(config.plugins, {
      cwd: options.cwd,
      mode: config.pluginMode,
      logger: options.logger,
      env: options.env,
      builtinNames: reserved,
      configFile: options.configFile,
    });
    closers.push(() => plugins.close());
    for (const plugin of plugins.plugins) {
      for (const tool of plugin.tools) catalog.add(tool, `plugin ${plugin.source}`);
    }

    const mcp = await loadMcpServers(config, options);
    closers.push(() => mcp.close());
    for (const { server, tools } of mcp.servers) for (const tool of tools) catalog.add(tool, `mcp ${server}`);

    // Built-ins are built only when used: http_fetch and the file tools cannot exist without options.
    const wanted = new Set([
      ...config.tools.builtins,
      ...Object.values(config.agents).flatMap((agent) =>
        agent.tools.map((reference) => parseToolReference(reference).name),
      ),
    ]);
    for (const name of wanted) {
      if (!isBuiltinToolName(name) || extraNames.has(name)) continue;
      catalog.add(
        createBuiltinTool(name, config.tools.options, {
          cwd: options.cwd,
          ...(options.clock !== undefined ? { clock: options.clock } : {}),
        }),
        'builtin',
      );
    }
    config.tools.builtins.forEach((name, index) => {
      if (!catalog.has(name)) {
        throw new ConfigError(
          `tools.builtins[${index}] names "${name}", which is not a built-in tool (${BUILTIN_TOOL_NAMES.join(', ')}) nor a tool of a plugin or MCP server. Fix the name, or remove it.`,
        );
      }
    });

    const byAgent = new Map<string, AnyTool[]>();
    for (const [agentName, agent] of Object.entries(config.agents)) {
      byAgent.set(
        agentName,
        resolveAgentTools(catalog, agentName, agent.tools, config.pluginMode, options.logger),
      );
    }
    return { catalog, byAgent, registry: serverRegistry(catalog, byAgent), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * An agent's tools, each reference resolved. An unknown reference is a `ConfigError` naming the
 * entry; in `lenient` mode it is a warning instead and the agent starts without that tool (it may
 * belong to a plugin or MCP server that was skipped).
 */
function resolveAgentTools(
  catalog: ToolCatalog,
  agentName: string,
  references: readonly string[],
  mode: AgentConfig['pluginMode'],
  logger: Logger,
): AnyTool[] {
  const usable = references.filter((reference, index) => {
    if (catalog.has(reference)) return true;
    const message = `agents.${agentName}.tools[${index}] names "${reference}": ${unknownToolMessage(catalog, reference)} Built-in tools, available by name: ${BUILTIN_TOOL_NAMES.join(', ')}.`;
    if (mode === 'strict') throw new ConfigError(message);
    logger.warn(`${message} The agent starts without it (pluginMode: lenient).`);
    return false;
  });
  try {
    return catalog.registryFor(usable).list();
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    throw new ConfigError(`agents.${agentName}.tools: ${error.message}`, { cause: error });
  }
}

/** The catalog's own explanation (close names, available versions) of why a reference fails. */
export function unknownToolMessage(catalog: ToolCatalog, reference: string): string {
  try {
    catalog.resolve(reference);
    return `"${reference}" resolves`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** One tool per name: the version an agent uses (the first agent's, if they differ), else the highest. */
function serverRegistry(catalog: ToolCatalog, byAgent: Map<string, AnyTool[]>): ToolRegistry {
  const chosen = new Map<string, AnyTool>();
  for (const tools of byAgent.values())
    for (const tool of tools) if (!chosen.has(tool.name)) chosen.set(tool.name, tool);
  // list() is sorted by name, highest version first.
  for (const entry of catalog.list()) if (!chosen.has(entry.name)) chosen.set(entry.name, entry.tool);
  return new ToolRegistry([...chosen.values()].sort((a, b) => a.name.localeCompare(b.name)));
}
