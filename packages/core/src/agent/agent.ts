import type { z } from 'zod';
import type { Message } from '../messages/message.js';
import type { LanguageModel } from '../model/language-model.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import { linkedAbort } from '../util/abort.js';
import type { AgentOptions, RunOptions, RunOutput, RunResult } from './agent-types.js';
import {
  integerAtLeast,
  requireLanguageModel,
  requireName,
  resolveSharedOptions,
} from './option-validation.js';
import type { ResolvedAgent } from './resolved-agent.js';
import { executeRun } from './run-loop.js';
import { EventChannel, type RunStream } from './run-stream.js';

/**
 * An LLM agent: a model, instructions and tools, run as a tool-calling loop with validation,
 * timeouts, rate limits, memory and typed events.
 *
 * @example
 * ```ts
 * const agent = new Agent({ name: 'calc', instructions: 'You add numbers.', model, tools: [add] });
 * const result = await agent.run('What is 2 + 3?');
 * console.log(result.output, result.usage);
 * ```
 */
export class Agent {
  /** The agent's name. */
  readonly name: string;
  /** The model it calls. */
  readonly model: LanguageModel;
  /** Its tools. */
  readonly tools: ToolRegistry;
  private readonly resolved: ResolvedAgent;

  constructor(options: AgentOptions) {
    const name = requireName(options.name, 'Agent');
    const owner = `Agent "${name}"`;
    const model = requireLanguageModel(options.model, 'model', owner);
    const maxSteps = integerAtLeast(options.maxSteps, 10, 1, 'maxSteps', owner);
    const toolConcurrency = integerAtLeast(options.toolConcurrency, 4, 1, 'toolConcurrency', owner);
    const toolTimeoutMs = integerAtLeast(options.toolTimeoutMs, 60_000, 1, 'toolTimeoutMs', owner);
    this.name = name;
    this.model = model;
    this.tools =
      options.tools instanceof ToolRegistry ? options.tools : new ToolRegistry(options.tools ?? []);
    this.resolved = {
      name,
      instructions: options.instructions,
      model,
      registry: this.tools,
      maxSteps,
      toolConcurrency,
      toolTimeoutMs,
      ...resolveSharedOptions(options),
    };
  }

  /**
   * Runs the agent to completion. Resolves with the result; rejects with a typed `AgentError`
   * (`MaxStepsError`, `AbortedError`, `ModelError`, `RateLimitError`, ...) whose `runId` is set.
   */
  run<TOutputSchema extends z.ZodType | undefined = undefined>(
    input: string | readonly Message[],
    options: RunOptions<TOutputSchema> = {},
  ): Promise<RunResult<RunOutput<TOutputSchema>>> {
    return executeRun(this.resolved, input, options, false) as Promise<RunResult<RunOutput<TOutputSchema>>>;
  }

  /**
   * Runs the agent, streaming the model's text and every event as it happens.
   *
   * @example
   * ```ts
   * const run = agent.stream('Tell me a story');
   * for await (const event of run) if (event.type === 'model.text-delta') process.stdout.write(event.delta);
   * const result = await run.result;
   * ```
   */
  stream<TOutputSchema extends z.ZodType | undefined = undefined>(
    input: string | readonly Message[],
    options: RunOptions<TOutputSchema> = {},
  ): RunStream<RunResult<RunOutput<TOutputSchema>>> {
    const { controller, dispose } = linkedAbort(options.signal);
    const channel = new EventChannel(() =>
      controller.abort(new Error('The stream consumer stopped reading.')),
    );
    const result = executeRun(
      this.resolved,
      input,
      { ...options, signal: controller.signal },
      true,
      (event) => channel.push(event),
    ).finally(() => {
      dispose();
      channel.close();
    }) as Promise<RunResult<RunOutput<TOutputSchema>>>;
    // The failure is also a `run.failed` event; don't crash a consumer that only iterates.
    result.catch(() => {});
    return {
      result,
      cancel: (reason = 'Cancelled by the caller.') => controller.abort(new Error(reason)),
      [Symbol.asyncIterator]: () => channel,
    };
  }
}
