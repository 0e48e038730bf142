import type { AgentErrorCode } from '@agent/core';
import type { ErrorStatusTable } from '../../contract.js';

/**
 * The HTTP status of every core error code: the one table the server owns.
 *
 * Choices worth knowing:
 * - `MODEL_*` are upstream failures, so 502/503/504, never 4xx: the caller's request was fine.
 *   `MODEL_OVERLOADED` and `MODEL_UNAVAILABLE` are 503 (capacity, try again later), the rest of
 *   the vendor failures 502, `MODEL_TIMEOUT` 504, `MODEL_RATE_LIMITED` 429 like our own limits.
 * - `OUTPUT_INVALID` is 502: the model's structured output failed its schema, not the request.
 * - `TOOL_*` are 422 (the run could not be completed with that input), except `TOOL_DUPLICATE`,
 *   a registration bug in the server's setup: 500. `TOOL_REFUSED` (a guard such as the SSRF check
 *   said no) is 422 too. `PLUGIN_*` only happen at start-up: 500.
 * - `ABORTED` is 503: inside a request an abort means the server is shutting down (or gave up on
 *   the work), which a retry elsewhere fixes. 409 would wrongly suggest a conflict in the
 *   resource's state, and 499 is nginx's private code, unknown to clients.
 */
export const ERROR_STATUS: ErrorStatusTable = Object.freeze({
  CONFIG_INVALID: 500,
  CONFIG_NOT_FOUND: 500,
  VALIDATION_FAILED: 400,
  OUTPUT_INVALID: 502,
  TOOL_NOT_FOUND: 422,
  TOOL_INPUT_INVALID: 422,
  TOOL_OUTPUT_INVALID: 422,
  TOOL_TIMEOUT: 422,
  TOOL_FAILED: 422,
  TOOL_DUPLICATE: 500,
  TOOL_REFUSED: 422,
  PLUGIN_INVALID: 500,
  PLUGIN_LOAD_FAILED: 500,
  PLUGIN_INCOMPATIBLE: 500,
  MODEL_AUTH: 502,
  MODEL_BAD_REQUEST: 502,
  MODEL_RATE_LIMITED: 429,
  MODEL_OVERLOADED: 503,
  MODEL_SERVER_ERROR: 502,
  MODEL_TIMEOUT: 504,
  MODEL_CONNECTION: 502,
  MODEL_UNAVAILABLE: 503,
  MODEL_INVALID_RESPONSE: 502,
  RATE_LIMITED: 429,
  MAX_STEPS_EXCEEDED: 422,
  PLAN_FAILED: 422,
  ABORTED: 503,
  INTERNAL: 500,
} satisfies Record<AgentErrorCode, number>);

/**
 * Codes whose message is written for the caller and safe to return as the problem's detail.
 * Every other code gets a fixed detail: vendor messages can name accounts or organisations,
 * config and tool failures can carry paths, hosts or a tool's own exception text.
 */
export const CALLER_SAFE_CODES: ReadonlySet<AgentErrorCode> = new Set<AgentErrorCode>([
  'VALIDATION_FAILED',
  'TOOL_NOT_FOUND',
  'TOOL_INPUT_INVALID',
  'TOOL_REFUSED',
  'RATE_LIMITED',
  'MAX_STEPS_EXCEEDED',
]);

const FIXED_DETAILS: Partial<Record<AgentErrorCode, string>> = {
  OUTPUT_INVALID:
    "The model's output did not match the expected schema. Retry, or adjust the agent's instructions.",
  MODEL_AUTH:
    'The server could not authenticate with its model provider. An operator must fix the provider credentials.',
  MODEL_BAD_REQUEST: 'The model provider rejected the request the server sent.',
  MODEL_RATE_LIMITED: 'The model provider is rate limiting this server. Retry later.',
  MODEL_OVERLOADED: 'The model provider is overloaded. Retry later.',
  MODEL_SERVER_ERROR: 'The model provider failed. Retry later.',
  MODEL_TIMEOUT: 'The model provider did not answer in time. Retry later.',
  MODEL_CONNECTION: 'The server could not reach its model provider. Retry later.',
  MODEL_UNAVAILABLE: 'No model is available to serve this request right now. Retry later.',
  MODEL_INVALID_RESPONSE: 'The model provider sent a response the server could not read.',
  TOOL_OUTPUT_INVALID: 'A tool returned output that did not match its schema.',
  TOOL_TIMEOUT: 'A tool did not finish in time.',
  TOOL_FAILED: 'A tool failed while handling this request.',
  PLAN_FAILED: 'The planner could not produce a plan that completes.',
  ABORTED: 'The work was cancelled, most likely because the server is shutting down. Retry.',
};

/** The problem detail for an error of `code` whose message is `message`. */
export function agentErrorDetail(code: AgentErrorCode, message: string, status: number): string {
  if (CALLER_SAFE_CODES.has(code)) return message;
  return FIXED_DETAILS[code] ?? (status >= 500 ? GENERIC_500 : 'The request could not be completed.');
}

/** The detail of every 500 whose cause is not for the caller's eyes. */
export const GENERIC_500 =
  'The server failed to handle this request. Retry later; if it persists, report it with the request id.';

/** `VALIDATION_FAILED` -> `validation-failed`: the problem code of a core error. */
export function problemCodeOf(code: AgentErrorCode): string {
  return code.toLowerCase().replaceAll('_', '-');
}
