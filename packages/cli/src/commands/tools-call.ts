import { randomUUID } from 'node:crypto';
import { executeToolCall, ToolRegistry } from '@agent/core';
import { loadCliConfig, resolveConfigPath } from '../config.js';
import { type CommandContext, closest, UsageError } from '../context.js';
import { EXIT_FAILURE, EXIT_SUCCESS } from '../exit-codes.js';
import { openRuntime, stderrLogger, withMemoryStore } from '../runtime.js';

/** Options of `agent tools call`. */
export interface ToolsCallOptions {
  config?: string;
  /** Timeout in ms for a tool without its own. */
  timeout?: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * `agent tools call <tool> '<json input>'`: runs one tool of the config (built-in, plugin or MCP)
 * with the input validated exactly as for a model, and prints its output as JSON. A tool error
 * (invalid input, refusal, failure, timeout) is printed with its code and exits 1.
 */
export async function callToolCommand(
  reference: string,
  inputText: string | undefined,
  options: ToolsCallOptions,
  context: CommandContext,
): Promise<number> {
  const { io, err } = context;
  const input = parseInput(inputText);
  const timeoutMs = options.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseTimeout(options.timeout);
  const path = resolveConfigPath(options.config, io);
  const { config } = await loadCliConfig(path, io);
  // Errors only: warnings about model keys say nothing about a tool.
  const logger = stderrLogger(io, err, 'error');
  const runtime = await openRuntime(withMemoryStore(config), path, io, logger);
  try {
    if (!runtime.toolCatalog.has(reference)) {
      const names = [...new Set(runtime.toolCatalog.list().map((entry) => entry.name))];
      const suggestion = closest(reference.split('@')[0] ?? reference, names);
      throw new UsageError(
        `no tool "${reference}"${suggestion !== undefined ? ` (Did you mean ${suggestion}?)` : ''}\n  Tools: ${names.join(', ')} (see: agent tools list)`,
      );
    }
    const tool = runtime.toolCatalog.resolve(reference);
    const callId = `cli-${randomUUID()}`;
    const outcome = await executeToolCall(
      { id: callId, name: tool.name, arguments: input },
      {
        registry: new ToolRegistry([tool]),
        runId: callId,
        agent: 'cli',
        tenant: undefined,
        logger,
        signal: io.signal,
        defaultTimeoutMs: timeoutMs,
      },
    );
    if (!outcome.ok) {
      io.stderr.write(`${err.red('error:')} ${outcome.error.code}: ${outcome.error.message}\n`);
      return EXIT_FAILURE;
    }
    io.stdout.write(`${JSON.stringify(outcome.output, null, 2)}\n`);
    return EXIT_SUCCESS;
  } finally {
    await runtime.close({ graceMs: 0 });
  }
}

function parseInput(text: string | undefined): unknown {
  if (text === undefined) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(
      `the input must be JSON, e.g. '{"expression": "2 + 2"}', got ${JSON.stringify(text.slice(0, 80))}`,
    );
  }
}

function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1 || ms > 3_600_000) {
    throw new UsageError(
      `--timeout must be a whole number of milliseconds from 1 to 3600000, got "${value}"`,
    );
  }
  return ms;
}
