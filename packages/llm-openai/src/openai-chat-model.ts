import {
  AbortedError,
  AgentError,
  type LanguageModel,
  ModelError,
  type ModelPrice,
  type ModelRequest,
  type ModelResponse,
  type ModelStreamEvent,
} from '@agent/core';
import type OpenAI from 'openai';
import { type CallScope, openCallScope } from './call-scope.js';
import { toChatRequestBody } from './convert-request.js';
import { fromChatCompletion, type ResponseContext } from './convert-response.js';
import { countRequestTokens } from './count-tokens.js';
import { toModelError } from './map-error.js';
import { StreamAccumulator } from './stream-accumulator.js';

/** How an {@link OpenAIChatModel} reaches the API; `createOpenAI()` builds it. */
export interface OpenAIChatModelConfig {
  /** Provider id reported on the model and its errors, e.g. `openai` or `ollama`. */
  provider: string;
  /** Returns the provider's SDK client, creating it on first use (that is when the key is read). */
  client: (modelId: string) => OpenAI;
  /** How long to wait for the answer (in a stream: for each chunk), in ms. */
  timeoutMs: number;
  /** The model's price, when known; it fills `usage.costUsd`. */
  price: ModelPrice | undefined;
}

/**
 * A chat model behind OpenAI's Chat Completions API (or a compatible server), implementing
 * core's `LanguageModel` per ADR 0006. Create it with `openai('gpt-4o-mini')` or
 * `createOpenAI({...})('model')` rather than directly.
 */
export class OpenAIChatModel implements LanguageModel {
  /** Provider id, e.g. `openai`. */
  readonly provider: string;
  /** Model id as sent to the API, e.g. `gpt-4o-mini`. */
  readonly modelId: string;
  private readonly context: ResponseContext;

  constructor(
    modelId: string,
    private readonly config: OpenAIChatModelConfig,
  ) {
    this.provider = config.provider;
    this.modelId = modelId;
    this.context = { provider: config.provider, modelId, price: config.price };
  }

  /** One call, resolved when the whole answer is in. Errors are `ModelError`s or `AbortedError`. */
  async generate(request: ModelRequest): Promise<ModelResponse> {
    const scope = openCallScope(request.signal, this.config.timeoutMs);
    try {
      const client = this.config.client(this.modelId);
      const body = await scope.race(
        client.chat.completions.create(
          { ...toChatRequestBody(this.modelId, request), stream: false },
          { signal: scope.signal, timeout: this.config.timeoutMs },
        ),
      );
      return fromChatCompletion(body, this.context);
    } catch (error) {
      throw this.failure(error, scope, request.signal);
    } finally {
      scope.dispose();
    }
  }

  /**
   * One call, streamed: `text-delta` and `tool-call-delta` as they arrive, then a `tool-call`
   * per complete call and a `finish` with the response `generate` would return. Stopping the
   * iteration early cancels the HTTP request.
   */
  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const scope = openCallScope(request.signal, this.config.timeoutMs);
    const accumulator = new StreamAccumulator(this.context);
    let iterator: AsyncIterator<unknown> | undefined;
    let finished = false;
    try {
      const client = this.config.client(this.modelId);
      const chunks = await scope.race(
        client.chat.completions.create(
          {
            ...toChatRequestBody(this.modelId, request),
            stream: true,
            stream_options: { include_usage: true },
          },
          { signal: scope.signal, timeout: this.config.timeoutMs },
        ),
      );
      iterator = chunks[Symbol.asyncIterator]();
      for (;;) {
        scope.touch();
        const result = await scope.race(iterator.next());
        // The consumer's time between events is not the vendor's silence.
        scope.pause();
        if (result.done) break;
        for (const event of accumulator.push(result.value)) yield event;
      }
      // The SDK ends a stream quietly when its signal aborts: that is not a finished answer.
      if (scope.signal.aborted) throw scope.signal.reason;
      const last = accumulator.finish();
      finished = true;
      for (const event of last) yield event;
    } catch (error) {
      throw this.failure(error, scope, request.signal);
    } finally {
      if (!finished) {
        scope.abort();
        iterator?.return?.().catch(() => {});
      }
      scope.dispose();
    }
  }

  /**
   * Input tokens `request` will use: exact for the text (gpt-tokenizer, with the model's
   * encoding), approximate for the chat framing. Loads the tokenizer on first use.
   */
  countTokens(request: ModelRequest): Promise<number> {
    return countRequestTokens(this.modelId, request);
  }

  /** The error to throw: the caller's abort and our timeout win over what the SDK reported. */
  private failure(error: unknown, scope: CallScope, signal: AbortSignal | undefined): AgentError {
    if (scope.callerAborted) {
      const reason: unknown = signal?.reason;
      if (AgentError.isInstance(reason) && reason.code === 'ABORTED') return reason;
      return new AbortedError('The OpenAI call was aborted.', { cause: reason ?? error });
    }
    if (scope.timedOut) {
      return new ModelError(
        'MODEL_TIMEOUT',
        `${this.provider === 'openai' ? 'OpenAI' : `"${this.provider}"`} did not answer within ${this.config.timeoutMs} ms. Raise timeoutMs in createOpenAI(), or retry with withRetry().`,
        { provider: this.provider, modelId: this.modelId, cause: error },
      );
    }
    return toModelError(error, { provider: this.provider, modelId: this.modelId });
  }
}
