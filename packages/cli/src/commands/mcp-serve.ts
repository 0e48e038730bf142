import { Readable, Writable } from 'node:stream';
import type { AnyTool } from '@agent/core';
import { loadCliConfig, resolveConfigPath } from '../config.js';
import { type CommandContext, closest, UsageError } from '../context.js';
import { EXIT_SUCCESS } from '../exit-codes.js';
import { openRuntime, stderrLogger, withMemoryStore } from '../runtime.js';
import { parsePort } from './serve.js';

/** Options of `agent mcp serve`. */
export interface McpServeOptions {
  config?: string;
  http?: boolean;
  port?: string;
  host?: string;
  /** Publish only this agent's tools. */
  agent?: string;
}

const VERSION = '0.1.0';

/**
 * `agent mcp serve`: publishes the config's tools (built-ins, plugins, other MCP servers) as an MCP
 * server, over stdin/stdout (what desktop clients spawn) or, with `--http`, streamable HTTP. Logs go
 * to stderr: in stdio mode stdout carries only protocol messages. Stops when stdin ends (stdio), on
 * SIGTERM/SIGINT, or when `io.signal` aborts.
 */
export async function mcpServe(options: McpServeOptions, context: CommandContext): Promise<number> {
  const { io } = context;
  const port = options.port === undefined ? undefined : parsePort(options.port);
  if (!options.http && (port !== undefined || options.host !== undefined)) {
    throw new UsageError('--port and --host apply to --http only; stdio needs neither');
  }
  const path = resolveConfigPath(options.config, io);
  const { config } = await loadCliConfig(path, io);
  const logger = stderrLogger(io, context.err, 'warn');
  const runtime = await openRuntime(withMemoryStore(config), path, io, logger);
  try {
    const tools = toolsToPublish(runtime.tools.list(), options.agent, runtime.agents);
    const serverOptions = { name: 'agent-sdk', version: VERSION, logger };
    const { serveMcpHttp, serveMcpStdio } = await import('@agent/tools/mcp');
    if (options.http) {
      const server = await serveMcpHttp(tools, {
        ...serverOptions,
        ...(port !== undefined ? { port } : {}),
        ...(options.host !== undefined ? { host: options.host } : {}),
      });
      io.stdout.write(`MCP server (streamable HTTP) at ${server.url} with ${tools.length} tool(s)\n`);
      await stopped(io.signal);
      await server.close();
      return EXIT_SUCCESS;
    }
    const { stdin, stdout } = io;
    if (!(stdin instanceof Readable) || !(stdout instanceof Writable)) {
      throw new UsageError(
        'agent mcp serve over stdio needs the process streams; use --http in this context',
      );
    }
    const server = await serveMcpStdio(tools, { ...serverOptions, stdin, stdout });
    io.stderr.write(
      `MCP server on stdio with ${tools.length} tool(s): ${tools.map((tool) => tool.name).join(', ')}\n`,
    );
    await stopped(io.signal, stdin);
    await server.close();
    return EXIT_SUCCESS;
  } finally {
    await runtime.close({ graceMs: 0 });
  }
}

function toolsToPublish(
  all: readonly AnyTool[],
  agent: string | undefined,
  agents: readonly { name: string; tools: readonly string[] }[],
): AnyTool[] {
  if (agent === undefined) return [...all];
  const found = agents.find((candidate) => candidate.name === agent);
  if (found === undefined) {
    const names = agents.map((candidate) => candidate.name);
    const suggestion = closest(agent, names);
    throw new UsageError(
      `unknown agent "${agent}"${suggestion !== undefined ? ` (Did you mean ${suggestion}?)` : ''}\n  Available agents: ${names.join(', ')}`,
    );
  }
  return all.filter((tool) => found.tools.includes(tool.name));
}

/** Resolves when the server should stop: stdin ended, the signal aborted, or SIGTERM/SIGINT. */
function stopped(signal: AbortSignal | undefined, stdin?: Readable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGTERM', done);
      process.off('SIGINT', done);
      resolve();
    };
    if (signal?.aborted) return done();
    signal?.addEventListener('abort', done, { once: true });
    stdin?.once('end', done);
    stdin?.once('close', done);
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
  });
}
