import type { ToolCall, ToolResultMessage } from '../messages/message.js';
import type { AnyTool } from '../tools/define-tool.js';
import {
  executeToolCall,
  type ToolCallEnvironment,
  type ToolCallOutcome,
} from '../tools/execute-tool-call.js';
import type { Logger } from '../util/logger.js';
import type { RunContext } from './agent-types.js';
import type { ResolvedAgent } from './resolved-agent.js';
import type { RunEmitter } from './run-emitter.js';

/**
 * Runs the tool calls of one step, at most `toolConcurrency` at a time, and returns one tool
 * result message per call, in the order the model asked for them.
 */
export async function runToolCalls(
  agent: ResolvedAgent,
  calls: readonly ToolCall[],
  environment: ToolCallEnvironment,
  context: RunContext,
  emitter: RunEmitter,
): Promise<{ messages: ToolResultMessage[]; outcomes: ToolCallOutcome[] }> {
  const outcomes: ToolCallOutcome[] = new Array(calls.length);
  const runOne = async (index: number) => {
    outcomes[index] = await runToolCall(agent, calls[index] as ToolCall, environment, context, emitter);
  };
  const workers = Math.min(agent.toolConcurrency, calls.length);
  if (workers <= 1) {
    for (let index = 0; index < calls.length; index++) await runOne(index);
  } else {
    let nextIndex = 0;
    const worker = async () => {
      while (nextIndex < calls.length) await runOne(nextIndex++);
    };
    const running: Promise<void>[] = [];
    for (let index = 0; index < workers; index++) running.push(worker());
    await Promise.all(running);
  }
  const messages: ToolResultMessage[] = new Array(calls.length);
  for (let index = 0; index < calls.length; index++) {
    const call = calls[index] as ToolCall;
    const outcome = outcomes[index] as ToolCallOutcome;
    messages[index] = outcome.ok
      ? { role: 'tool', toolCallId: call.id, toolName: call.name, content: outcome.content }
      : { role: 'tool', toolCallId: call.id, toolName: call.name, content: outcome.content, isError: true };
  }
  return { messages, outcomes };
}

async function runToolCall(
  agent: ResolvedAgent,
  call: ToolCall,
  environment: ToolCallEnvironment,
  context: RunContext,
  emitter: RunEmitter,
): Promise<ToolCallOutcome> {
  const startedAt = emitter.emit('tool.called', { step: context.step, toolCall: call });
  const tool = environment.registry.get(call.name);
  if (tool?.deprecated) warnDeprecatedOnce(tool, agent.logger);
  if (agent.hooks.beforeToolCall) await agent.hooks.beforeToolCall(call, context);
  const outcome = await executeToolCall(call, environment);
  const durationMs = agent.clock.now() - startedAt;
  if (outcome.ok) {
    emitter.emit('tool.succeeded', {
      step: context.step,
      toolCallId: call.id,
      toolName: call.name,
      output: outcome.output,
      durationMs,
    });
  } else {
    emitter.emit('tool.failed', {
      step: context.step,
      toolCallId: call.id,
      toolName: call.name,
      error: outcome.error.toJSON(),
      durationMs,
    });
  }
  if (agent.hooks.afterToolCall) await agent.hooks.afterToolCall(call, outcome, context);
  return outcome;
}

// Once per tool per process: a deprecation warned on every call would drown the logs.
const warnedTools = new WeakSet<AnyTool>();

function warnDeprecatedOnce(tool: AnyTool, logger: Logger): void {
  if (warnedTools.has(tool)) return;
  warnedTools.add(tool);
  const replacement = tool.deprecated?.replacement;
  logger.warn(
    `Tool "${tool.name}" is deprecated${replacement ? `; use "${replacement}" instead` : ''}.${tool.deprecated?.message ? ` ${tool.deprecated.message}` : ''}`,
    { tool: tool.name, ...(replacement ? { replacement } : {}) },
  );
}
