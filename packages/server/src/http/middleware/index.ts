// The server's Hono middleware, in the order an app mounts them:
// requestId -> logContext -> traceContext -> secureHeaders -> cors -> requestTimeout -> bodyLimit
// -> authenticate -> httpRateLimit -> routes; errorHandler and notFoundHandler on the app.
export { authenticate } from './authenticate.js';
export { bodyLimit, DEFAULT_BODY_LIMIT_BYTES } from './body-limit.js';
export type { ServerEnv, ServerVariables } from './context-variables.js';
export { CORS_ALLOWED_HEADERS, cors } from './cors.js';
export { errorHandler, toHttpProblem } from './error-handler.js';
export {
  agentErrorDetail,
  CALLER_SAFE_CODES,
  ERROR_STATUS,
  GENERIC_500,
  problemCodeOf,
} from './error-status.js';
export type { HttpRateLimitConfig, HttpRateLimitKind, HttpRateLimitOptions } from './http-rate-limit.js';
export { HTTP_RATE_LIMIT_RULES, httpRateLimit, httpRateLimitRules } from './http-rate-limit.js';
export { logContext } from './log-context.js';
export { notFoundHandler } from './not-found.js';
export { PROBLEM_CONTENT_TYPE, problemResponse } from './problem-response.js';
export { REQUEST_ID_HEADER, requestId } from './request-id.js';
export type { RequestTimeoutOptions } from './request-timeout.js';
export { disableRequestTimeout, requestTimeout, withoutRequestTimeout } from './request-timeout.js';
export { secureHeaders } from './secure-headers.js';
export { SERVER_TRACER_NAME, traceContext } from './trace-context.js';
export type { ValidationIssueSource, ValidationTarget } from './validation-problem.js';
export { jsonPointer, validationProblem } from './validation-problem.js';
