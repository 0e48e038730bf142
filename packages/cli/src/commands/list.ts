import type { ServerRuntime } from '@agent/server';
import { loadCliConfig, resolveConfigPath } from '../config.js';
import type { CommandContext } from '../context.js';
import { EXIT_SUCCESS } from '../exit-codes.js';
import { openRuntime, stderrLogger, withMemoryStore } from '../runtime.js';

/** Options of `agent agents list` and `agent tools list`. */
export interface ListOptions {
  config?: string;
  json?: boolean;
}

async function withRuntime<T>(
  options: ListOptions,
  context: CommandContext,
  use: (runtime: ServerRuntime) => T,
): Promise<T> {
  const path = resolveConfigPath(options.config, context.io);
  const { config } = await loadCliConfig(path, context.io);
  // Only the catalog is read: no store files, and no warnings about missing API keys.
  const runtime = await openRuntime(
    withMemoryStore(config),
    path,
    context.io,
    stderrLogger(context.io, context.err, 'error'),
  );
  try {
    return use(runtime);
  } finally {
    await runtime.close({ graceMs: 0 });
  }
}

/** `agent agents list`: name, kind, model and tools of each configured agent. */
export async function listAgents(options: ListOptions, context: CommandContext): Promise<number> {
  const { io, out } = context;
  await withRuntime(options, context, (runtime) => {
    if (options.json) {
      for (const agent of runtime.agents) io.stdout.write(`${JSON.stringify(agent)}\n`);
      return;
    }
    if (runtime.agents.length === 0) {
      io.stdout.write('No agents configured. Add one under `agents:` in agent.config.yaml.\n');
      return;
    }
    for (const agent of runtime.agents) {
      const configured = runtime.config.models[agent.model.name];
      const model =
        configured !== undefined
          ? `${configured.provider}/${configured.model}`
          : `${agent.model.provider}/${agent.model.model}`;
      const demo =
        agent.model.provider === 'demo' && configured !== undefined ? ' (demo model: no API key)' : '';
      const tools = agent.tools.length > 0 ? agent.tools.join(', ') : 'none';
      io.stdout.write(
        `${out.bold(agent.name)}  ${out.dim(`${agent.kind} · ${model}${demo} · tools: ${tools}`)}\n`,
      );
      if (agent.description !== undefined) io.stdout.write(`  ${agent.description}\n`);
    }
  });
  return EXIT_SUCCESS;
}

/**
 * `agent tools list`: every available tool, each version with where it comes from (built-in,
 * plugin, MCP server); with `--json`, one object per tool version per line, with its input JSON Schema.
 */
export async function listTools(options: ListOptions, context: CommandContext): Promise<number> {
  const { io, out } = context;
  await withRuntime(options, context, (runtime) => {
    for (const entry of runtime.toolCatalog.list()) {
      const { tool } = entry;
      const deprecated = tool.deprecated;
      if (options.json) {
        const line = {
          name: tool.name,
          version: tool.version,
          source: entry.source,
          description: tool.description,
          ...(deprecated !== undefined ? { deprecated } : {}),
          inputSchema: tool.inputJsonSchema,
        };
        io.stdout.write(`${JSON.stringify(line)}\n`);
        continue;
      }
      const version = tool.version !== undefined ? ` ${tool.version}` : '';
      const note =
        deprecated !== undefined
          ? out.yellow(
              ` deprecated${deprecated.replacement !== undefined ? ` → ${deprecated.replacement}` : ''}`,
            )
          : '';
      io.stdout.write(
        `${out.bold(tool.name)}${out.dim(version)}${note}  ${tool.description}  ${out.dim(`(${entry.source})`)}\n`,
      );
    }
  });
  return EXIT_SUCCESS;
}
