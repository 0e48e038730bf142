import { Agent, type AgentEvent, type AnyTool, type Logger, type RunResult } from '@agent/core';
import { ScriptedModel, type ScriptedStep } from '@agent/core/testing';

/** Options of {@link runAgentWithTools}. */
export interface RunAgentWithToolsOptions {
  tools: readonly AnyTool[];
  /** The model's answers in order: `toolCallResponse(...)`, `textResponse(...)`, errors or functions. */
  script: readonly ScriptedStep[];
  /** The user's message. @default 'Use your tools to answer.' */
  input?: string;
  instructions?: string;
  /** @default 'plugin-test' */
  name?: string;
  /** @default 10 */
  maxSteps?: number;
  /** Timeout of tools that set none, in ms. @default 60_000 */
  toolTimeoutMs?: number;
  logger?: Logger;
}

/** One tool call the model made during the run, and how it ended. */
export interface RecordedToolCall {
  id: string;
  name: string;
  arguments: unknown;
  ok: boolean;
  /** The output, when `ok`. */
  output?: unknown;
  /** The error code and message the model was shown, when not `ok`. */
  error?: { code: string; message: string };
}

/** What {@link runAgentWithTools} returns. */
export interface AgentToolRun {
  result: RunResult;
  /** Every event of the run, in order. */
  events: AgentEvent[];
  /** The scripted model, with every request it received in `model.calls`. */
  model: ScriptedModel;
  /** The tool calls, in the order they were made. */
  toolCalls: RecordedToolCall[];
}

/**
 * Runs a real core `Agent` with the tools and a `ScriptedModel`, so a plugin author can check
 * what the agent loop does with them: which calls ran, what the model was shown. A failed run
 * rejects with its typed `AgentError`. Call `model.assertComplete()` to check the script was used up.
 *
 * @example
 * ```ts
 * const { result, toolCalls } = await runAgentWithTools({
 *   tools: loaded.tools,
 *   script: [toolCallResponse('weather', { city: 'Oslo' }), textResponse('4 °C in Oslo')],
 * });
 * expect(toolCalls).toMatchObject([{ name: 'weather', ok: true }]);
 * expect(result.output).toBe('4 °C in Oslo');
 * ```
 */
export async function runAgentWithTools(options: RunAgentWithToolsOptions): Promise<AgentToolRun> {
  const model = new ScriptedModel(options.script);
  const events: AgentEvent[] = [];
  const agent = new Agent({
    name: options.name ?? 'plugin-test',
    model,
    tools: options.tools,
    ...(options.instructions !== undefined ? { instructions: options.instructions } : {}),
    ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}),
    ...(options.toolTimeoutMs !== undefined ? { toolTimeoutMs: options.toolTimeoutMs } : {}),
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    hooks: { onEvent: (event) => events.push(event) },
  });
  const result = await agent.run(options.input ?? 'Use your tools to answer.');
  return { result, events, model, toolCalls: toolCallsOf(events) };
}

function toolCallsOf(events: readonly AgentEvent[]): RecordedToolCall[] {
  const calls = new Map<string, RecordedToolCall>();
  for (const event of events) {
    if (event.type === 'tool.called') {
      const { id, name, arguments: args } = event.toolCall;
      calls.set(id, { id, name, arguments: args, ok: false });
    } else if (event.type === 'tool.succeeded') {
      const call = calls.get(event.toolCallId);
      if (call) Object.assign(call, { ok: true, output: event.output });
    } else if (event.type === 'tool.failed') {
      const call = calls.get(event.toolCallId);
      if (call) call.error = { code: event.error.code, message: event.error.message };
    }
  }
  return [...calls.values()];
}
