import { AgentError, toAgentError } from '../errors/agent-error.js';
import { ModelError } from '../errors/errors.js';
import { createRunTokenEstimator } from '../model/estimate-tokens.js';
import type { ModelRequest, ModelResponse } from '../model/language-model.js';
import { reservationTokens } from '../model/reservation-tokens.js';
import { type AcquirePolicyOptions, acquireWithPolicy } from '../ratelimit/acquire-with-policy.js';
import type { RateLimitReservation } from '../ratelimit/rate-limiter.js';
import { abortError } from '../util/abort.js';
import { raceAbort } from '../util/race-abort.js';
import type { RunContext } from './agent-types.js';
import type { ResolvedAgent } from './resolved-agent.js';
import type { RunEmitter } from './run-emitter.js';

/** Makes the model calls of one run. */
export type ModelCaller = (request: ModelRequest, context: RunContext) => Promise<ModelResponse>;

/**
 * Builds the model caller of one run: rate limit, hooks, the call (streamed or not), events and
 * token reconciliation. What is the same for every call of the run (the limiter policy and its
 * callback) is built here once, off the per-step path.
 */
export function createModelCaller(
  agent: ResolvedAgent,
  emitter: RunEmitter,
  signal: AbortSignal | undefined,
  streaming: boolean,
): ModelCaller {
  const { model, limiter, hooks, clock } = agent;
  let currentStep = 0;
  const estimateTokens = reservationTokens(model, createRunTokenEstimator());
  const acquireOptions: AcquirePolicyOptions | undefined = limiter && {
    onLimit: limiter.onLimit,
    maxWaitMs: limiter.maxWaitMs,
    sleep: agent.sleep,
    ...(signal ? { signal } : {}),
    onLimited: (decision, action) =>
      emitter.emit('ratelimit.limited', {
        step: currentStep,
        rule: decision.rule,
        kind: decision.kind,
        retryAfterMs: decision.retryAfterMs,
        action,
      }),
  };
  const onReconcileError = (error: unknown) =>
    agent.logger.warn('rate limiter reconcile failed', { error: String(error) });

  return async (initialRequest, context) => {
    currentStep = context.step;
    let reservation: RateLimitReservation | undefined;
    if (limiter && acquireOptions) {
      reservation = await acquireWithPolicy(
        limiter.limiter,
        {
          agent: agent.name,
          model: model.modelId,
          tenant: context.tenant,
          tokens: await estimateTokens(initialRequest),
        },
        acquireOptions,
      );
    }
    let request = initialRequest;
    if (hooks.beforeModelCall) request = (await hooks.beforeModelCall(request, context)) ?? request;
    // The event's timestamp doubles as the call's start, saving a clock read per call.
    const startedAt = emitter.emit('model.requested', {
      step: context.step,
      provider: model.provider,
      model: model.modelId,
      messageCount: request.messages.length,
      toolCount: request.tools?.length ?? 0,
    });
    let response: ModelResponse;
    try {
      response = streaming
        ? await streamModel(agent, request, context.step, emitter)
        : await raceAbort(model.generate(request), signal, 'The model call');
    } catch (error) {
      const typed = signal?.aborted ? abortError(signal, 'The model call') : toModelError(error, agent);
      emitter.emit('model.failed', {
        step: context.step,
        provider: model.provider,
        model: model.modelId,
        error: typed.toJSON(),
        durationMs: clock.now() - startedAt,
      });
      // The failed call may still have spent tokens, so the estimate stays reserved.
      throw typed;
    }
    if (reservation && limiter) {
      // Reconciling never delays the run: its failure only makes the next window less exact.
      limiter.limiter
        .reconcile(reservation, response.usage.inputTokens + response.usage.outputTokens)
        .catch(onReconcileError);
    }
    if (emitter.active) {
      emitter.emit('model.responded', {
        step: context.step,
        provider: model.provider,
        model: model.modelId,
        message: response.message,
        usage: response.usage,
        finishReason: response.finishReason,
        durationMs: clock.now() - startedAt,
      });
    }
    if (hooks.afterModelCall) await hooks.afterModelCall(response, context);
    return response;
  };
}

async function streamModel(
  agent: ResolvedAgent,
  request: ModelRequest,
  step: number,
  emitter: RunEmitter,
): Promise<ModelResponse> {
  const iterator = agent.model.stream(request)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await raceAbort(iterator.next(), request.signal, 'The model call');
      if (next.done) break;
      const event = next.value;
      if (event.type === 'text-delta') emitter.emit('model.text-delta', { step, delta: event.delta });
      else if (event.type === 'finish') return event.response;
    }
  } finally {
    // Closes the provider's connection when we stop early (abort, error or finish).
    void iterator.return?.(undefined)?.catch(() => {});
  }
  throw new ModelError('MODEL_INVALID_RESPONSE', 'The model stream ended without a finish event.', {
    provider: agent.model.provider,
    modelId: agent.model.modelId,
  });
}

function toModelError(error: unknown, agent: ResolvedAgent): AgentError {
  if (AgentError.isInstance(error)) return error;
  return toAgentError(
    new ModelError(
      'MODEL_UNAVAILABLE',
      `Model ${agent.model.provider}/${agent.model.modelId} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, provider: agent.model.provider, modelId: agent.model.modelId, retryable: false },
    ),
  );
}
