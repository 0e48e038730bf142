import { AbortedError, AgentError, ModelError, type ModelErrorCode } from '@agent/core';
import OpenAI from 'openai';
import { parseRetryAfter } from './parse-retry-after.js';

/** Who made the failed call; every `ModelError` carries it. */
export interface ErrorContext {
  /** Provider id, e.g. `openai` or `ollama`. */
  provider: string;
  /** Model id, e.g. `gpt-4o-mini`. */
  modelId: string;
  /** The current time in ms since the epoch, for `retry-after` dates. @default Date.now() */
  now?: number;
}

/**
 * Turns anything the openai SDK (or the transport below it) throws into the error ADR 0006
 * prescribes: a `ModelError` with provider, model id, status and the original error as `cause`,
 * or an `AbortedError` when the SDK reports that the caller aborted. Errors of `@agent/*` pass
 * through unchanged.
 */
export function toModelError(error: unknown, context: ErrorContext): AgentError {
  if (AgentError.isInstance(error)) return error;
  // The abort check comes first: APIUserAbortError extends APIError (without a status).
  if (error instanceof OpenAI.APIUserAbortError) {
    return new AbortedError('The OpenAI call was aborted.', { cause: error });
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return create('MODEL_TIMEOUT', context, error, {
      message: `${label(context)} did not answer in time. Raise timeoutMs in createOpenAI(), or retry with withRetry().`,
    });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return create('MODEL_CONNECTION', context, error, {
      message: `Could not reach ${label(context)}: ${describeCause(error)}. Check the network and baseURL; the call can be retried.`,
    });
  }
  if (error instanceof OpenAI.APIError) return fromStatus(error, context);
  if (error instanceof SyntaxError) {
    return create('MODEL_INVALID_RESPONSE', context, error, {
      message: `${label(context)} sent a body that is not valid JSON (${error.message}). If baseURL points at a proxy or gateway, check that it passes OpenAI's responses through unchanged.`,
    });
  }
  // The SDK's own complaints about a reply, e.g. "Attempted to iterate over a response with no body".
  if (error instanceof OpenAI.OpenAIError) {
    return create('MODEL_INVALID_RESPONSE', context, error, {
      message: `${label(context)} sent a reply the openai SDK cannot read (${error.message}). If baseURL points at a proxy or gateway, check that it speaks the Chat Completions API.`,
    });
  }
  // What is left comes from the transport (undici's "terminated", "fetch failed", a reset socket):
  // the connection broke, which a retry can fix.
  return create('MODEL_CONNECTION', context, error, {
    message: `The connection to ${label(context)} broke: ${describeCause(error)}. The call can be retried.`,
  });
}

function fromStatus(error: InstanceType<typeof OpenAI.APIError>, context: ErrorContext): ModelError {
  const status = error.status;
  const detail = vendorDetail(error);
  const retryAfterMs = parseRetryAfter(error.headers, context.now);

  // An error object inside a 200 stream has no status: the server failed while answering.
  if (status === undefined) {
    return create('MODEL_SERVER_ERROR', context, error, {
      message: `${label(context)} reported an error mid-stream${detail}. The call can be retried.`,
    });
  }
  if (status === 401) {
    return create('MODEL_AUTH', context, error, {
      status,
      message: `${label(context)} rejected the API key (401)${detail}. Set OPENAI_API_KEY or pass apiKey to createOpenAI().`,
    });
  }
  if (status === 403) {
    return create('MODEL_AUTH', context, error, {
      status,
      message: `${label(context)} refused access (403)${detail}. Check that the key's organization and project may use model "${context.modelId}".`,
    });
  }
  if (status === 429) {
    // insufficient_quota is a billing problem wearing a 429: waiting does not help, so it is
    // not retryable (withRetry would only burn attempts).
    const quota = error.code === 'insufficient_quota';
    return create('MODEL_RATE_LIMITED', context, error, {
      status,
      retryAfterMs,
      retryable: !quota,
      message: quota
        ? `${label(context)} refused the call: the account is out of quota (429)${detail}. Add credits or raise the project's budget.`
        : `${label(context)} rate-limited the call (429)${detail}. Retry after ${retryAfterMs ?? 'a'} ms (withRetry does this), or lower the request rate.`,
    });
  }
  if (status === 503 || status === 529) {
    return create('MODEL_OVERLOADED', context, error, {
      status,
      retryAfterMs,
      message: `${label(context)} is overloaded (${status})${detail}. Retry later, or add a fallback model with withFallback().`,
    });
  }
  if (status >= 500) {
    return create('MODEL_SERVER_ERROR', context, error, {
      status,
      retryAfterMs,
      message: `${label(context)} failed with a server error (${status})${detail}. The call can be retried.`,
    });
  }
  if (status === 408) {
    return create('MODEL_TIMEOUT', context, error, {
      status,
      message: `${label(context)} timed out the request (408)${detail}. The call can be retried.`,
    });
  }
  const hint =
    status === 404
      ? ` Check the model id "${context.modelId}" and baseURL.`
      : ' Fix the request; sending it again will fail the same way.';
  // 400, 404, 409, 413, 422 per the ADR, and every other 4xx: sending it again fails the same way.
  return create('MODEL_BAD_REQUEST', context, error, {
    status,
    message: `${label(context)} rejected the request (${status})${detail}.${hint}`,
  });
}

function create(
  code: ModelErrorCode,
  context: ErrorContext,
  cause: unknown,
  options: { message: string; status?: number; retryAfterMs?: number | undefined; retryable?: boolean },
): ModelError {
  return new ModelError(code, options.message, {
    cause,
    provider: context.provider,
    modelId: context.modelId,
    ...(options.status !== undefined ? { status: options.status } : {}),
    ...(options.retryAfterMs !== undefined ? { retryAfterMs: options.retryAfterMs } : {}),
    ...(options.retryable !== undefined ? { retryable: options.retryable } : {}),
  });
}

/** "OpenAI" for the real thing, "OpenAI-compatible server \"ollama\"" for everything else. */
function label(context: ErrorContext): string {
  return context.provider === 'openai' ? 'OpenAI' : `The OpenAI-compatible server "${context.provider}"`;
}

/** The vendor's own explanation (`error.message` of the body), as ": …", or nothing. */
function vendorDetail(error: InstanceType<typeof OpenAI.APIError>): string {
  const body = error.error as { message?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : undefined;
  return message ? `: ${message}` : '';
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
