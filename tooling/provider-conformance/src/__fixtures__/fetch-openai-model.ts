import {
  AbortedError,
  AgentError,
  type LanguageModel,
  ModelError,
  type ModelErrorCode,
  type ModelRequest,
  type ModelResponse,
  type ModelStreamEvent,
  type ToolCall,
} from '@agent/core';
import {
  codeOfStatus,
  type OpenAIUsage,
  parseArguments,
  retryAfterMs,
  toFinishReason,
  toModelResponse,
  toOpenAIBody,
  toUsage,
} from './openai-mapping.js';

/** Options of {@link FetchOpenAIModel}. */
export interface FetchOpenAIModelOptions {
  /** OpenAI-compatible base URL, e.g. the fake server's `openaiBaseURL`. */
  baseURL: string;
  /** @default 'gpt-test' */
  modelId?: string;
  /** Per-call timeout. @default 60000 */
  timeoutMs?: number;
}

interface StreamChunk {
  id?: string;
  choices?: {
    delta?: {
      content?: string;
      tool_calls?: { index: number; id?: string; function?: { name?: string; arguments?: string } }[];
    };
    finish_reason?: string | null;
  }[];
  usage?: OpenAIUsage | null;
}

/** One call's cancellation: the caller's signal and the timeout, folded into one signal. */
interface CallScope {
  signal: AbortSignal;
  timedOut(): boolean;
  dispose(): void;
}

/**
 * A minimal fetch-based OpenAI chat-completions `LanguageModel`: the reference adapter that shows
 * the conformance suite passes for a correct implementation. A test fixture, not a product.
 */
export class FetchOpenAIModel implements LanguageModel {
  readonly provider = 'openai';
  readonly modelId: string;
  private readonly options: FetchOpenAIModelOptions;

  constructor(options: FetchOpenAIModelOptions) {
    this.options = options;
    this.modelId = options.modelId ?? 'gpt-test';
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    const scope = this.scope(request);
    try {
      const response = await this.send(request, false, scope.signal);
      const body: unknown = await response.json();
      return toModelResponse(body, (message) => this.error('MODEL_INVALID_RESPONSE', message));
    } catch (error) {
      throw this.toAgentError(error, request, scope);
    } finally {
      scope.dispose();
    }
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const scope = this.scope(request);
    try {
      const response = await this.send(request, true, scope.signal);
      yield* this.readStream(response);
    } catch (error) {
      throw this.toAgentError(error, request, scope);
    } finally {
      scope.dispose();
    }
  }

  private scope(request: ModelRequest): CallScope {
    if (request.signal?.aborted) throw new AbortedError('The model call was aborted.');
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs ?? 60_000);
    const onAbort = () => controller.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    return {
      signal: controller.signal,
      timedOut: () => timedOut,
      dispose: () => {
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
      },
    };
  }

  private async send(request: ModelRequest, stream: boolean, signal: AbortSignal): Promise<Response> {
    const response = await fetch(`${this.options.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer test-key' },
      body: JSON.stringify(toOpenAIBody(this.modelId, request, stream)),
      signal,
    });
    if (response.ok) return response;
    const text = await response.text();
    throw this.error(codeOfStatus(response.status), `OpenAI answered HTTP ${response.status}: ${text}`, {
      status: response.status,
      retryAfterMs: retryAfterMs(response.headers),
    });
  }

  /** Maps any failure to the ADR 0006 table; the caller's abort wins over everything else. */
  private toAgentError(error: unknown, request: ModelRequest, scope: CallScope): AgentError {
    if (AgentError.isInstance(error)) return error;
    if (request.signal?.aborted) return new AbortedError('The model call was aborted.', { cause: error });
    if (scope.timedOut())
      return this.error('MODEL_TIMEOUT', 'OpenAI did not answer in time.', { cause: error });
    if (error instanceof SyntaxError) {
      return this.error('MODEL_INVALID_RESPONSE', 'OpenAI sent a body that is not JSON.', { cause: error });
    }
    return this.error('MODEL_CONNECTION', 'The connection to OpenAI failed.', { cause: error });
  }

  /** Parses the SSE body: deltas as they come, then the assembled tool calls and `finish`. */
  private async *readStream(response: Response): AsyncGenerator<ModelStreamEvent> {
    const decoder = new TextDecoder();
    const calls: { id: string; name: string; arguments: string }[] = [];
    let text = '';
    let buffer = '';
    let finishReason: string | undefined;
    let usage: OpenAIUsage | undefined;
    let responseId: string | undefined;
    let sawDone = false;
    for await (const bytes of response.body ?? []) {
      buffer += decoder.decode(bytes as Uint8Array, { stream: true });
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const data = block.replace(/^data: /, '');
        if (data === '[DONE]') {
          sawDone = true;
          continue;
        }
        const chunk = JSON.parse(data) as StreamChunk;
        responseId ??= chunk.id;
        usage = chunk.usage ?? usage;
        const choice = chunk.choices?.[0];
        finishReason = choice?.finish_reason ?? finishReason;
        if (choice?.delta?.content) {
          text += choice.delta.content;
          yield { type: 'text-delta', delta: choice.delta.content };
        }
        for (const delta of choice?.delta?.tool_calls ?? []) {
          calls[delta.index] ??= { id: '', name: '', arguments: '' };
          const call = calls[delta.index] as { id: string; name: string; arguments: string };
          call.id ||= delta.id ?? '';
          call.name ||= delta.function?.name ?? '';
          call.arguments += delta.function?.arguments ?? '';
          yield {
            type: 'tool-call-delta',
            index: delta.index,
            ...(delta.id ? { id: delta.id } : {}),
            ...(delta.function?.name ? { name: delta.function.name } : {}),
            argumentsDelta: delta.function?.arguments ?? '',
          };
        }
      }
    }
    if (!sawDone || !finishReason)
      throw this.error('MODEL_INVALID_RESPONSE', 'The OpenAI stream ended early.');
    const toolCalls: ToolCall[] = calls.map((call) => ({
      ...call,
      arguments: parseArguments(call.arguments),
    }));
    for (const toolCall of toolCalls) yield { type: 'tool-call', toolCall };
    yield {
      type: 'finish',
      response: {
        message: { role: 'assistant', content: text, ...(toolCalls.length > 0 ? { toolCalls } : {}) },
        usage: toUsage(usage),
        finishReason: toFinishReason(finishReason),
        ...(responseId ? { responseId } : {}),
      },
    };
  }

  private error(
    code: ModelErrorCode,
    message: string,
    options: { status?: number; retryAfterMs?: number | undefined; cause?: unknown } = {},
  ): ModelError {
    const { retryAfterMs: wait, ...rest } = options;
    return new ModelError(code, message, {
      ...rest,
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      provider: this.provider,
      modelId: this.modelId,
    });
  }
}
