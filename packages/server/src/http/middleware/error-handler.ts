import { AgentError, type Logger } from '@agent/core';
import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { HttpProblem } from '../http-problem.js';
import { agentErrorDetail, ERROR_STATUS, GENERIC_500, problemCodeOf } from './error-status.js';
import { problemResponse } from './problem-response.js';

/** Problem codes of the statuses Hono's own exceptions carry. */
const STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  408: 'request-timeout',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  429: 'rate-limited',
  500: 'internal',
  502: 'bad-gateway',
  503: 'unavailable',
  504: 'gateway-timeout',
};

/**
 * `app.onError` of the server: every error becomes an `application/problem+json` response
 * carrying the request id.
 *
 * - `HttpProblem`: its status, body and headers.
 * - core `AgentError`: the status from {@link ERROR_STATUS}; the message only for codes written
 *   for the caller (validation, rate limits, ...), a fixed detail otherwise; `Retry-After` from
 *   `details.retryAfterMs` when present.
 * - Hono's `HTTPException`: its status and, below 500, its message.
 * - anything else: 500 `internal` with a generic detail.
 *
 * 5xx errors are logged with the request id, method and path (503s, which draining and request
 * timeouts answer by design, as warnings); stacks, unknown errors' messages and validator
 * internals never reach the body.
 *
 * @example
 * ```ts
 * app.onError(errorHandler(runtime.logger));
 * app.notFound(notFoundHandler());
 * ```
 */
export function errorHandler(logger: Pick<Logger, 'error' | 'warn'>): ErrorHandler {
  return (error, c) => {
    const problem = toHttpProblem(error);
    if (problem.status >= 500) {
      const log = problem.status === 503 && error instanceof HttpProblem ? logger.warn : logger.error;
      log.call(logger, `${c.req.method} ${c.req.path} failed with ${problem.status}`, {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: problem.status,
        error,
      });
    }
    return problemResponse(c, problem);
  };
}

/** Any thrown value as the problem the caller should see. */
export function toHttpProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (AgentError.isInstance(error)) return agentErrorProblem(error);
  if (error instanceof HTTPException) return httpExceptionProblem(error);
  return new HttpProblem({ status: 500, code: 'internal', detail: GENERIC_500, cause: error });
}

function agentErrorProblem(error: AgentError): HttpProblem {
  const status = ERROR_STATUS[error.code] ?? 500;
  const retryAfterMs = error.details?.retryAfterMs;
  const retryAfter =
    (status === 429 || status === 503) && typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs)
      ? { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) }
      : {};
  return new HttpProblem({
    status,
    code: problemCodeOf(error.code),
    detail: agentErrorDetail(error.code, error.message, status),
    cause: error,
    ...retryAfter,
  });
}

function httpExceptionProblem(error: HTTPException): HttpProblem {
  const status = error.status;
  const headers: Record<string, string> = {};
  for (const name of ['WWW-Authenticate', 'Retry-After']) {
    const value = error.res?.headers.get(name);
    if (value) headers[name] = value;
  }
  const detail =
    status < 500 && error.message !== ''
      ? error.message
      : status >= 500
        ? GENERIC_500
        : `The request failed with status ${status}.`;
  return new HttpProblem({
    status,
    code: STATUS_CODES[status] ?? (status >= 500 ? 'internal' : 'bad-request'),
    detail,
    headers,
    cause: error,
  });
}
