import { AbortedError, AgentError, ModelError, type ModelErrorCode } from '@agent/core';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import { parseRetryAfter } from './parse-retry-after.js';

const PROVIDER = 'anthropic';

// The `type` of an `error` event inside a 200 stream (there is no HTTP status to go by), mapped to
// the code its HTTP equivalent would get.
const STREAM_ERROR_CODES: Readonly<Record<string, ModelErrorCode>> = {
  authentication_error: 'MODEL_AUTH',
  permission_error: 'MODEL_AUTH',
  billing_error: 'MODEL_AUTH',
  invalid_request_error: 'MODEL_BAD_REQUEST',
  not_found_error: 'MODEL_BAD_REQUEST',
  request_too_large: 'MODEL_BAD_REQUEST',
  rate_limit_error: 'MODEL_RATE_LIMITED',
  overloaded_error: 'MODEL_OVERLOADED',
  api_error: 'MODEL_SERVER_ERROR',
  timeout_error: 'MODEL_SERVER_ERROR',
};

// Network failures surface as undici `TypeError`s ("fetch failed", "terminated") or Node system
// errors somewhere down the cause chain. Other TypeErrors are bugs, not connection problems.
const NETWORK_ERROR_CODE = /^(ECONN|EPIPE|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR)/;
const NETWORK_TYPE_ERROR = /fetch failed|terminated|network|socket/i;

/**
 * Turns anything the Anthropic SDK (or the response it parsed) threw into the error ADR 0006
 * prescribes: a `ModelError` with provider, model id, HTTP status, `retryAfterMs` and the SDK
 * error as `cause`, or an `AbortedError` for a user abort. `AgentError`s pass through unchanged.
 */
export function mapAnthropicError(error: unknown, modelId: string, now: number = Date.now()): AgentError {
  if (AgentError.isInstance(error)) return error;
  if (error instanceof APIUserAbortError) {
    return new AbortedError('The Anthropic call was aborted.', { cause: error });
  }
  const context = { provider: PROVIDER, modelId, cause: error };
  if (error instanceof APIConnectionTimeoutError) {
    return new ModelError(
      'MODEL_TIMEOUT',
      `The Anthropic call to "${modelId}" timed out before a response arrived. Raise timeoutMs, or retry.`,
      context,
    );
  }
  if (error instanceof APIConnectionError) {
    return connectionError(error, modelId);
  }
  if (error instanceof APIError) {
    if (typeof error.status === 'number') return statusError(error, error.status, modelId, now);
    return streamEventError(error, modelId);
  }
  if (error instanceof SyntaxError) return invalidResponse(modelId, error.message, error);
  if (isNetworkError(error)) return connectionError(error, modelId);
  // What is left (an AnthropicError about the body, a response of the wrong shape) means the
  // answer could not be read.
  return invalidResponse(modelId, error instanceof Error ? error.message : String(error), error);
}

/** `MODEL_INVALID_RESPONSE`: a 2xx body or stream that is not JSON or lacks required fields. */
export function invalidResponse(modelId: string, detail: string, cause?: unknown): ModelError {
  return new ModelError(
    'MODEL_INVALID_RESPONSE',
    `Anthropic sent a response for "${modelId}" that could not be read (${detail}). Check that baseURL points at the Anthropic Messages API, not a proxy that rewrites bodies.`,
    { provider: PROVIDER, modelId, ...(cause === undefined ? {} : { cause }) },
  );
}

/** `MODEL_CONNECTION`: the connection failed, was reset, or closed before the answer was complete. */
export function connectionError(cause: unknown, modelId: string, what = 'the connection failed'): ModelError {
  const detail = describe(cause);
  return new ModelError(
    'MODEL_CONNECTION',
    `Could not complete the Anthropic call to "${modelId}": ${what}${detail ? ` (${detail})` : ''}. Check the network and baseURL; retrying may help.`,
    { provider: PROVIDER, modelId, cause },
  );
}

function statusError(error: APIError, status: number, modelId: string, now: number): ModelError {
  const code = codeForStatus(status);
  const detail = detailOf(error);
  const retryAfterMs =
    code === 'MODEL_RATE_LIMITED' || code === 'MODEL_OVERLOADED' || code === 'MODEL_SERVER_ERROR'
      ? parseRetryAfter(error.headers, now)
      : undefined;
  return new ModelError(code, messageFor(code, status, modelId, detail, retryAfterMs), {
    provider: PROVIDER,
    modelId,
    status,
    cause: error,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

function streamEventError(error: APIError, modelId: string): ModelError {
  const code = (error.type ? STREAM_ERROR_CODES[error.type] : undefined) ?? 'MODEL_SERVER_ERROR';
  const detail = detailOf(error);
  return new ModelError(
    code,
    `Anthropic reported ${error.type ?? 'an error'} in the middle of the stream for "${modelId}": ${detail}.${code === 'MODEL_AUTH' || code === 'MODEL_BAD_REQUEST' ? ' Retrying will not help.' : ' Retrying may help.'}`,
    { provider: PROVIDER, modelId, cause: error },
  );
}

/** The ADR 0006 table, plus 402 (billing: an account problem like auth) and 408 (a timeout). */
function codeForStatus(status: number): ModelErrorCode {
  if (status === 401 || status === 402 || status === 403) return 'MODEL_AUTH';
  if (status === 408) return 'MODEL_TIMEOUT';
  if (status === 429) return 'MODEL_RATE_LIMITED';
  if (status === 503 || status === 529) return 'MODEL_OVERLOADED';
  if (status >= 500) return 'MODEL_SERVER_ERROR';
  return 'MODEL_BAD_REQUEST';
}

function messageFor(
  code: ModelErrorCode,
  status: number,
  modelId: string,
  detail: string,
  retryAfterMs: number | undefined,
): string {
  const wait = retryAfterMs === undefined ? '' : ` Anthropic asked to wait ${retryAfterMs} ms.`;
  switch (code) {
    case 'MODEL_AUTH':
      if (status === 401) {
        return `Anthropic rejected the API key (401): ${detail}. Set ANTHROPIC_API_KEY or pass apiKey to createAnthropic().`;
      }
      if (status === 402) {
        return `Anthropic refused the request for billing reasons (402): ${detail}. Check the organisation's credit and spend limits in the Anthropic Console.`;
      }
      return `Anthropic denied access to "${modelId}" (403): ${detail}. Check that the API key's workspace may use this model.`;
    case 'MODEL_RATE_LIMITED':
      return `Anthropic rate limit reached for "${modelId}" (429): ${detail}.${wait} Retry later (withRetry does), or lower the request rate.`;
    case 'MODEL_OVERLOADED':
      return `Anthropic is overloaded (${status}): ${detail}.${wait} Retry with backoff (withRetry does), or fall back to another model.`;
    case 'MODEL_SERVER_ERROR':
      return `Anthropic had a server error (${status}): ${detail}.${wait} Retry with backoff (withRetry does).`;
    case 'MODEL_TIMEOUT':
      return `Anthropic timed out handling the request (${status}): ${detail}. Retry, or send a smaller request.`;
    default:
      if (status === 404) {
        return `Anthropic could not find what was asked for (404): ${detail}. Check the model id "${modelId}" and baseURL.`;
      }
      return `Anthropic rejected the request to "${modelId}" (${status}): ${detail}. Fix the request; retrying will not help.`;
  }
}

function isNetworkError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof TypeError && NETWORK_TYPE_ERROR.test(current.message)) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_ERROR_CODE.test(code)) return true;
    current = current.cause;
  }
  return false;
}

// The API's own sentence, without its final period: the messages above add their own.
function detailOf(error: APIError): string {
  return (error.apiMessage ?? error.message).replace(/[.\s]+$/, '');
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return '';
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
