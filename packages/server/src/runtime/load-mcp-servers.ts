import { isAbsolute, resolve } from 'node:path';
import {
  type AgentConfig,
  type AnyTool,
  ConfigError,
  type ConfigIssue,
  type Logger,
  type McpServerConfig,
} from '@agent/core';

/** The tools of the config's MCP servers (`tools.mcp`), and how to disconnect them. */
export interface LoadedMcpServers {
  servers: { server: string; tools: AnyTool[] }[];
  close(): Promise<void>;
}

/**
 * Connects to every server under `tools.mcp` (in parallel) and lists its tools. A server that
 * cannot be reached stops start-up in `strict` `pluginMode`, with one `ConfigError` naming each,
 * and is logged and skipped in `lenient`. The MCP SDK is imported only when a server is configured.
 */
export async function loadMcpServers(
  config: AgentConfig,
  options: { cwd: string; configFile: string; logger: Logger },
): Promise<LoadedMcpServers> {
  const entries = Object.entries(config.tools.mcp);
  if (entries.length === 0) return { servers: [], close: async () => {} };
  const { mcpTools } = await import('@agent/tools/mcp');
  const settled = await Promise.allSettled(
    entries.map(([name, entry]) =>
      mcpTools({ ...mcpOptions(entry, options.cwd), name, logger: options.logger }),
    ),
  );
  const sets = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const close = async () => {
    await Promise.allSettled(sets.map((set) => set.close()));
  };
  const failures = settled.flatMap((result, index) =>
    result.status === 'rejected'
      ? [{ server: entries[index]?.[0] ?? '?', reason: reasonOf(result.reason) }]
      : [],
  );
  if (failures.length > 0 && config.pluginMode === 'strict') {
    await close();
    const issues: ConfigIssue[] = failures.map(({ server, reason }) => ({
      file: options.configFile,
      path: `tools.mcp.${server}`,
      message: `MCP server "${server}" is not usable: ${reason}`,
      fix: 'start the server or fix its command/url, or set pluginMode: lenient to start without it',
    }));
    throw new ConfigError(
      `${failures.length === 1 ? 'An MCP server' : `${failures.length} MCP servers`} could not be used:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`,
      { issues },
    );
  }
  for (const { server, reason } of failures) {
    options.logger.error('MCP server skipped (pluginMode: lenient)', { server, reason });
  }
  return {
    servers: sets.map((set) => ({ server: set.name, tools: [...set.tools] })),
    close,
  };
}

function mcpOptions(entry: McpServerConfig, cwd: string) {
  const common = {
    ...(entry.allow !== undefined ? { allow: entry.allow } : {}),
    ...(entry.deny !== undefined ? { deny: entry.deny } : {}),
    ...(entry.timeoutMs !== undefined ? { timeoutMs: entry.timeoutMs } : {}),
    ...(entry.maxResultBytes !== undefined ? { maxResultBytes: entry.maxResultBytes } : {}),
    ...(entry.namespace !== undefined ? { namespace: entry.namespace } : {}),
  };
  if (entry.transport === 'http') {
    return {
      transport: 'http' as const,
      url: entry.url,
      ...(entry.headers !== undefined ? { headers: entry.headers } : {}),
      ...common,
    };
  }
  const workingDirectory =
    entry.cwd === undefined ? cwd : isAbsolute(entry.cwd) ? entry.cwd : resolve(cwd, entry.cwd);
  return {
    transport: 'stdio' as const,
    command: entry.command,
    args: entry.args,
    cwd: workingDirectory,
    ...(entry.env !== undefined ? { env: entry.env } : {}),
    ...common,
  };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
