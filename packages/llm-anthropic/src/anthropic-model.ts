import {
  estimateTokens,
  type LanguageModel,
  type ModelRequest,
  type ModelResponse,
  type ModelStreamEvent,
  type PriceTable,
} from '@agent/core';
import type Anthropic from '@anthropic-ai/sdk';
import { APIError } from '@anthropic-ai/sdk';
import type { MessageCountTokensParams } from '@anthropic-ai/sdk/resources/messages';
import { CallScope } from './call-scope.js';
import { connectionError } from './map-error.js';
import { type MappedRequest, toAnthropicRequest } from './map-request.js';
import { readMessage } from './map-response.js';
import { StreamAssembler } from './stream-assembler.js';

// The SDK's own per-request timeout (until response headers) when `timeoutMs` is unset. Passing
// one explicitly also skips the SDK's refusal of non-streamed calls with a large max_tokens.
const SDK_TIMEOUT_MS = 10 * 60 * 1000;

/** What the models of one provider share: the lazy client, settings and count-tokens memory. */
export interface AnthropicModelConfig {
  /** The provider's SDK client, created at the first request; throws `MODEL_AUTH` without a key. */
  client(modelId: string): Anthropic;
  defaultMaxTokens: number;
  /** The automatic cache breakpoint's time to live, or `undefined` for no caching. */
  promptCache: '5m' | '1h' | undefined;
  prices: PriceTable;
  timeoutMs: number | undefined;
  countTokens: 'api' | 'estimate';
  /** Set once the count-tokens endpoint answered 404/405 (a gateway without it): stop asking. */
  countTokensUnavailable: boolean;
}

/**
 * A Claude model behind core's `LanguageModel` seam, on the Messages API of `@anthropic-ai/sdk`.
 * Create it with `createAnthropic()(modelId)` or `anthropic(modelId)`.
 */
export class AnthropicLanguageModel implements LanguageModel {
  /** Always `anthropic`. */
  readonly provider = 'anthropic';

  constructor(
    /** The Anthropic model id, e.g. `claude-sonnet-4-5`. */
    readonly modelId: string,
    private readonly config: AnthropicModelConfig,
  ) {}

  /** One non-streamed Messages API call; errors are `ModelError`s, or `AbortedError` on abort. */
  async generate(request: ModelRequest): Promise<ModelResponse> {
    const scope = new CallScope(this.modelId, request.signal, this.config.timeoutMs);
    try {
      scope.check();
      const client = this.config.client(this.modelId);
      const { body, output } = this.map(request);
      const reply: unknown = await scope.guard(
        client.messages.create(body, { signal: scope.signal, timeout: this.sdkTimeout }),
      );
      return readMessage(reply, { modelId: this.modelId, prices: this.config.prices, output });
    } catch (error) {
      throw scope.toError(error);
    } finally {
      scope.close();
    }
  }

  /**
   * One streamed call: text and tool-call deltas as they arrive, a `tool-call` per completed
   * tool_use block, then `finish` with the response `generate` would have returned.
   */
  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const scope = new CallScope(this.modelId, request.signal, this.config.timeoutMs);
    let events: AsyncIterator<unknown> | undefined;
    try {
      scope.check();
      const client = this.config.client(this.modelId);
      const { body, output } = this.map(request);
      const stream = await scope.guard(
        client.messages.create({ ...body, stream: true }, { signal: scope.signal, timeout: this.sdkTimeout }),
      );
      events = stream[Symbol.asyncIterator]();
      const assembler = new StreamAssembler({ modelId: this.modelId, prices: this.config.prices, output });
      for (;;) {
        const next = await scope.guard(events.next());
        if (next.done) break;
        for (const event of assembler.push(next.value)) yield event;
        if (assembler.result) return;
      }
      // The SDK ends a stream quietly when its request is aborted, so an interruption is
      // reported first; otherwise the connection closed before `message_stop`.
      scope.check();
      throw connectionError(undefined, this.modelId, 'the stream ended before message_stop');
    } catch (error) {
      throw scope.toError(error);
    } finally {
      scope.close();
      // Not awaited: a pending read settles on its own once the scope's abort reaches the SDK.
      events?.return?.().catch(() => {});
    }
  }

  /**
   * Input tokens of `request`. With `countTokens: 'api'` it asks Anthropic's count-tokens
   * endpoint; when that fails (no key, network, a gateway without the endpoint) or with
   * `'estimate'`, it returns core's conservative estimate. It never throws.
   */
  async countTokens(request: ModelRequest): Promise<number> {
    if (this.config.countTokens === 'estimate' || this.config.countTokensUnavailable) {
      return estimateInputTokens(request);
    }
    const scope = new CallScope(this.modelId, request.signal, this.config.timeoutMs);
    try {
      const client = this.config.client(this.modelId);
      const { body } = this.map(request);
      const params: MessageCountTokensParams = { model: body.model, messages: body.messages };
      if (body.system !== undefined) params.system = body.system;
      if (body.tools !== undefined) params.tools = body.tools;
      if (body.tool_choice !== undefined) params.tool_choice = body.tool_choice;
      const counted = await scope.guard(
        client.messages.countTokens(params, { signal: scope.signal, timeout: this.sdkTimeout }),
      );
      const tokens: unknown = (counted as { input_tokens?: unknown } | null)?.input_tokens;
      return typeof tokens === 'number' && Number.isFinite(tokens) ? tokens : estimateInputTokens(request);
    } catch (error) {
      if (error instanceof APIError && (error.status === 404 || error.status === 405)) {
        this.config.countTokensUnavailable = true;
      }
      return estimateInputTokens(request);
    } finally {
      scope.close();
    }
  }

  private map(request: ModelRequest): MappedRequest {
    const mapped = toAnthropicRequest(request, this.modelId, this.config.defaultMaxTokens);
    // Top-level cache_control makes the API put the breakpoint on the last cacheable block, so
    // each step of a run reads the prefix the previous step wrote.
    const ttl = this.config.promptCache;
    if (ttl !== undefined) mapped.body.cache_control = { type: 'ephemeral', ttl };
    return mapped;
  }

  private get sdkTimeout(): number {
    return this.config.timeoutMs ?? SDK_TIMEOUT_MS;
  }
}

/**
 * The fallback count: core's `estimateTokens` (one token per 3 ASCII characters, one per other
 * character, 4 per message, plus the JSON of tools and response format), without the
 * `maxTokens` reservation it adds for rate limiting, since this counts input only.
 */
export function estimateInputTokens(request: ModelRequest): number {
  const { maxTokens: _output, ...settings } = request.settings ?? {};
  return estimateTokens({ ...request, settings });
}
