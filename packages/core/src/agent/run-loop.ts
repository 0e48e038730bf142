import type { z } from 'zod';
import { type AgentError, toAgentError } from '../errors/agent-error.js';
import { MaxStepsError, ValidationError } from '../errors/errors.js';
import type { AgentEvent } from '../events/agent-event.js';
import { type Message, messageSchema } from '../messages/message.js';
import { addUsage, emptyUsage, type ModelRequest, type ModelSettings } from '../model/language-model.js';
import type { ToolCallEnvironment } from '../tools/execute-tool-call.js';
import { describeIssues } from '../tools/execute-tool-call.js';
import { abortError, throwIfAborted } from '../util/abort.js';
import { enterRunScope } from '../util/run-scope.js';
import type { RunContext, RunOptions, RunResult, StepResult } from './agent-types.js';
import { createModelCaller } from './model-step.js';
import type { ResolvedAgent } from './resolved-agent.js';
import { RunEmitter } from './run-emitter.js';
import { parseStructuredOutput, responseFormatFor } from './structured-output.js';
import { runToolCalls } from './tool-step.js';

/**
 * The tool-calling loop: call the model, run the tools it asks for, feed the results back, until
 * it answers without tool calls or `maxSteps` is reached. Every outcome is an event; failures
 * end with `run.failed` (or `run.cancelled`) and throw a typed `AgentError` carrying the run id.
 */
export function executeRun(
  agent: ResolvedAgent,
  input: string | readonly Message[],
  options: RunOptions<z.ZodType | undefined>,
  streaming: boolean,
  sink?: (event: AgentEvent) => void,
): Promise<RunResult<unknown>> {
  const runId = options.runId ?? agent.idGenerator();
  return enterRunScope(
    agent.scope,
    { runId, agent: agent.name, tenant: options.tenant },
    () => runLoop(agent, input, { ...options, runId }, streaming, sink),
    (error) =>
      agent.logger.error('scope.enter threw; the run goes on without it', { runId, error: String(error) }),
  );
}

async function runLoop(
  agent: ResolvedAgent,
  input: string | readonly Message[],
  options: RunOptions<z.ZodType | undefined> & { runId: string },
  streaming: boolean,
  sink: ((event: AgentEvent) => void) | undefined,
): Promise<RunResult<unknown>> {
  const runId = options.runId;
  const tenant = options.tenant;
  const signal = options.signal;
  const emitter = new RunEmitter(
    runId,
    agent.name,
    tenant,
    agent.clock,
    agent.events,
    agent.hooks.onEvent,
    sink,
    (error, event) =>
      agent.logger.error('hooks.onEvent threw; the run goes on', {
        runId,
        type: event.type,
        error: String(error),
      }),
  );
  const usage = emptyUsage();
  const steps: StepResult[] = [];
  // Invalid input still makes a recorded run (started, then failed), never a silent throw.
  let inputMessages: Message[] = [];
  let inputError: unknown;
  try {
    inputMessages = toInputMessages(input);
  } catch (error) {
    inputError = error;
  }
  const startedAt = emitter.emit('run.started', {
    input: inputText(inputMessages),
    ...(options.conversationId !== undefined ? { conversationId: options.conversationId } : {}),
    ...(options.metadata !== undefined ? { metadata: options.metadata } : {}),
  });
  try {
    if (inputError !== undefined) throw inputError;
    throwIfAborted(signal, 'The run');
    const messages: Message[] = [];
    if (agent.instructions) messages.push({ role: 'system', content: agent.instructions });
    if (options.conversationId !== undefined && agent.memory) {
      messages.push(...(await agent.memory.load(options.conversationId)));
    }
    const firstNewMessage = messages.length;
    messages.push(...inputMessages);

    const outputSchema = options.output;
    const settings: ModelSettings | undefined = outputSchema
      ? { ...agent.settings, responseFormat: responseFormatFor(outputSchema) }
      : agent.settings;
    const tools = agent.registry.size > 0 ? agent.registry.definitions() : undefined;
    const toolEnvironment: ToolCallEnvironment = {
      registry: agent.registry,
      runId,
      agent: agent.name,
      tenant,
      logger: agent.logger,
      signal,
      defaultTimeoutMs: agent.toolTimeoutMs,
    };
    const callModel = createModelCaller(agent, emitter, signal, streaming);
    let repairUsed = false;

    for (let step = 0; step < agent.maxSteps; step++) {
      const stepStartedAt = emitter.emit('step.started', { step });
      const context: RunContext = { runId, agent: agent.name, tenant, step };
      const request: ModelRequest = { messages, context: { runId, agent: agent.name, tenant } };
      if (tools) request.tools = tools;
      if (settings) request.settings = settings;
      if (signal) request.signal = signal;
      const response = await callModel(request, context);
      addUsage(usage, response.usage);
      messages.push(response.message);
      const toolCalls = response.message.toolCalls;
      const stepResult: StepResult = {
        index: step,
        message: response.message,
        toolResults: [],
        usage: response.usage,
        finishReason: response.finishReason,
        durationMs: 0,
      };
      steps.push(stepResult);

      if (toolCalls && toolCalls.length > 0) {
        const { messages: results } = await runToolCalls(agent, toolCalls, toolEnvironment, context, emitter);
        for (const result of results) {
          messages.push(result);
          stepResult.toolResults.push({
            toolCallId: result.toolCallId,
            toolName: result.toolName,
            ok: result.isError !== true,
            content: result.content,
          });
        }
        stepResult.durationMs = agent.clock.now() - stepStartedAt;
        emitter.emit('step.completed', {
          step,
          usage: response.usage,
          finishReason: response.finishReason,
          toolCalls: toolCalls.length,
        });
        continue;
      }

      stepResult.durationMs = agent.clock.now() - stepStartedAt;
      emitter.emit('step.completed', {
        step,
        usage: response.usage,
        finishReason: response.finishReason,
        toolCalls: 0,
      });
      let output: unknown = response.message.content;
      if (outputSchema) {
        const parsed = parseStructuredOutput(outputSchema, response.message.content);
        if (!parsed.ok) {
          if (repairUsed) {
            throw new ValidationError(
              `The model's structured output is invalid after one repair attempt: ${parsed.error}. Simplify the output schema or use a model with structured output support.`,
              { code: 'OUTPUT_INVALID' },
            );
          }
          // One repair attempt: tell the model exactly what was wrong and ask again.
          repairUsed = true;
          emitter.emit('output.repaired', { step, error: parsed.error });
          messages.push({
            role: 'user',
            content: `Your last answer could not be used: ${parsed.error}. Reply again with only the JSON value that matches the required schema, and nothing else.`,
          });
          continue;
        }
        output = parsed.value;
      }

      if (options.conversationId !== undefined && agent.memory) {
        await agent.memory.append(options.conversationId, messages.slice(firstNewMessage));
      }
      emitter.emit('run.completed', {
        output,
        usage,
        steps: steps.length,
        durationMs: agent.clock.now() - startedAt,
      });
      return { runId, status: 'completed', output, messages, steps, usage };
    }
    throw new MaxStepsError(agent.maxSteps);
  } catch (caught) {
    const error: AgentError = signal?.aborted ? abortError(signal, 'The run') : toAgentError(caught);
    error.runId = runId;
    const durationMs = agent.clock.now() - startedAt;
    if (error.code === 'ABORTED') {
      emitter.emit('run.cancelled', { reason: error.message, usage, steps: steps.length, durationMs });
    } else {
      emitter.emit('run.failed', { error: error.toJSON(), usage, steps: steps.length, durationMs });
    }
    agent.logger.warn('run ended without a result', { runId, code: error.code, error: error.message });
    throw error;
  }
}

/** The run's input as messages; throws `ValidationError` for anything else (JS callers, wire data). */
function toInputMessages(input: string | readonly Message[]): Message[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  const parsed = Array.isArray(input) ? messageSchema.array().min(1).safeParse(input) : undefined;
  if (!parsed?.success) {
    const problem = parsed ? describeIssues(parsed.error) : `got ${input === null ? 'null' : typeof input}`;
    throw new ValidationError(
      `Run input must be a string or a non-empty array of messages: ${problem}. Pass the user's text, or messages like { role: 'user', content: '...' }.`,
    );
  }
  return parsed.data as Message[];
}

function inputText(messages: readonly Message[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as Message;
    if (message.role === 'user') return message.content;
  }
  return '';
}
