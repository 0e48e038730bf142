import { type AnyTool, executeToolCall, type Logger, noopLogger, type Tool, ToolRegistry } from '@agent/core';

/** Options of {@link callTool}. */
export interface CallToolOptions {
  /** Aborting it aborts the tool (and `callTool` rejects with `AbortedError`). */
  signal?: AbortSignal;
  /** Timeout of this call, in ms, replacing the tool's own. @default the tool's timeoutMs, else 60_000 */
  timeoutMs?: number;
  /** Fields of the `ToolContext` the tool receives. */
  context?: { runId?: string; agent?: string; tenant?: string; toolCallId?: string; logger?: Logger };
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Calls a tool the way an agent does (core's `executeToolCall`): validates `input` against the
 * input schema, runs `execute` with the timeout and signal, validates the output. Resolves with
 * the output; rejects with the `ToolError` the model would have been shown
 * (`TOOL_INPUT_INVALID`, `TOOL_FAILED`, `TOOL_TIMEOUT`, `TOOL_OUTPUT_INVALID`).
 *
 * @example
 * ```ts
 * await expect(callTool(weather, { city: 'Oslo' })).resolves.toMatchObject({ tempC: 4 });
 * await expect(callTool(weather, { town: 'Oslo' })).rejects.toMatchObject({ code: 'TOOL_INPUT_INVALID' });
 * ```
 */
export async function callTool<TInput, TOutput>(
  tool: Tool<TInput, TOutput>,
  input: unknown,
  options: CallToolOptions = {},
): Promise<TOutput> {
  // Inherits every field and method (so `this` works) and only replaces the timeout.
  const called: AnyTool =
    options.timeoutMs === undefined ? tool : Object.create(tool, { timeoutMs: { value: options.timeoutMs } });
  const context = options.context ?? {};
  const outcome = await executeToolCall(
    { id: context.toolCallId ?? 'test-call', name: tool.name, arguments: input },
    {
      registry: new ToolRegistry([called]),
      runId: context.runId ?? 'test-run',
      agent: context.agent ?? 'test-agent',
      tenant: context.tenant,
      logger: context.logger ?? noopLogger,
      signal: options.signal,
      defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
    },
  );
  if (!outcome.ok) throw outcome.error;
  return outcome.output as TOutput;
}
