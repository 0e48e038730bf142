import { AgentError } from '../errors/agent-error.js';
import type { ToolCall } from '../messages/message.js';
import type {
  LanguageModel,
  ModelRequest,
  ModelResponse,
  ModelStreamEvent,
  Usage,
} from '../model/language-model.js';
import { throwIfAborted } from '../util/abort.js';

/** One scripted step: a response, an error to throw, or a function of the request. */
export type ScriptedStep =
  | ModelResponse
  | Error
  | ((request: ModelRequest, callIndex: number) => ModelResponse | Error | Promise<ModelResponse | Error>);

/** Options of {@link ScriptedModel}. */
export interface ScriptedModelOptions {
  /** @default 'scripted' */
  provider?: string;
  /** @default 'scripted-model' */
  modelId?: string;
  /** When the script runs out, answer every further call with this (else throw). */
  fallback?: ScriptedStep;
  /** Split streamed text into chunks of this many characters. @default 16 */
  streamChunkSize?: number;
}

/** A recorded call: the request as the model saw it (messages copied at call time). */
export interface ScriptedCall {
  messages: ModelRequest['messages'];
  tools: NonNullable<ModelRequest['tools']>;
  settings: ModelRequest['settings'];
  context: ModelRequest['context'];
  method: 'generate' | 'stream';
}

/**
 * A `LanguageModel` that answers from a queue: responses, errors, or functions of the request.
 * It records every call. For tests and examples; imports no test runner.
 *
 * @example
 * ```ts
 * const model = new ScriptedModel([toolCallResponse('add', { a: 2, b: 3 }), textResponse('5')]);
 * const result = await new Agent({ name: 'calc', model, tools: [add] }).run('2+3?');
 * model.assertComplete();
 * ```
 */
export class ScriptedModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  /** Every call made so far, in order. */
  readonly calls: ScriptedCall[] = [];
  private readonly script: ScriptedStep[];
  private next = 0;
  private readonly options: ScriptedModelOptions;

  constructor(script: readonly ScriptedStep[] = [], options: ScriptedModelOptions = {}) {
    this.script = [...script];
    this.options = options;
    this.provider = options.provider ?? 'scripted';
    this.modelId = options.modelId ?? 'scripted-model';
  }

  /** Appends steps to the script. */
  push(...steps: ScriptedStep[]): this {
    this.script.push(...steps);
    return this;
  }

  /** Steps not consumed yet. */
  get remaining(): number {
    return this.script.length - this.next;
  }

  /** Throws when scripted steps were left unused: the code under test made fewer calls than expected. */
  assertComplete(): void {
    if (this.remaining > 0) {
      throw new Error(
        `ScriptedModel: ${this.remaining} scripted response(s) were not used (${this.calls.length} call(s) made).`,
      );
    }
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    return this.answer(request, 'generate');
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const response = await this.answer(request, 'stream');
    const size = this.options.streamChunkSize ?? 16;
    const text = response.message.content;
    for (let offset = 0; offset < text.length; offset += size) {
      throwIfAborted(request.signal, 'The model call');
      yield { type: 'text-delta', delta: text.slice(offset, offset + size) };
    }
    for (const toolCall of response.message.toolCalls ?? []) yield { type: 'tool-call', toolCall };
    yield { type: 'finish', response };
  }

  private async answer(request: ModelRequest, method: 'generate' | 'stream'): Promise<ModelResponse> {
    throwIfAborted(request.signal, 'The model call');
    const callIndex = this.calls.length;
    this.calls.push({
      messages: request.messages.slice(),
      tools: request.tools ?? [],
      settings: request.settings,
      context: request.context,
      method,
    });
    let step: ScriptedStep | undefined = this.script[this.next];
    if (step === undefined) {
      step = this.options.fallback;
      if (step === undefined) {
        throw new AgentError(
          'INTERNAL',
          `ScriptedModel: call #${callIndex + 1} has no scripted response. Add one, or set options.fallback.`,
        );
      }
    } else {
      this.next++;
    }
    const outcome = typeof step === 'function' ? await step(request, callIndex) : step;
    if (outcome instanceof Error) throw outcome;
    // A fresh copy per call so a runtime that mutates responses cannot corrupt a reused fallback.
    return structuredClone(outcome);
  }
}

let toolCallCounter = 0;

/** A response with text only (finish reason `stop`). */
export function textResponse(text: string, usage: Partial<Usage> = {}): ModelResponse {
  return {
    message: { role: 'assistant', content: text },
    usage: { inputTokens: usage.inputTokens ?? 10, outputTokens: usage.outputTokens ?? 5 },
    finishReason: 'stop',
  };
}

/** A response with one tool call (finish reason `tool-calls`). */
export function toolCallResponse(
  name: string,
  args: unknown,
  options: { id?: string; text?: string; usage?: Partial<Usage> } = {},
): ModelResponse {
  return toolCallsResponse([{ name, arguments: args, ...(options.id ? { id: options.id } : {}) }], options);
}

/** A response with several (parallel) tool calls. */
export function toolCallsResponse(
  calls: readonly { name: string; arguments: unknown; id?: string }[],
  options: { text?: string; usage?: Partial<Usage> } = {},
): ModelResponse {
  const toolCalls: ToolCall[] = calls.map((call) => ({
    id: call.id ?? `call_${++toolCallCounter}`,
    name: call.name,
    arguments: call.arguments,
  }));
  return {
    message: { role: 'assistant', content: options.text ?? '', toolCalls },
    usage: { inputTokens: options.usage?.inputTokens ?? 10, outputTokens: options.usage?.outputTokens ?? 5 },
    finishReason: 'tool-calls',
  };
}
