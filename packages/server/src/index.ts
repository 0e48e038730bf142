/**
 * `@agent/server`: the Agent SDK HTTP server. `startServer()` builds everything from a config
 * and serves it on Node; `createServerRuntime()`, `createAuthenticator()` and `createApp()` are the
 * pieces, for embedding the API in your own Hono or Node server.
 * @module
 */

// Auth
export type { AuthenticatorOptions } from './auth/index.js';
export {
  ALL_SCOPES,
  ANONYMOUS_PRINCIPAL,
  createAuthenticator,
  generateApiKey,
  hashApiKey,
  hasScope,
  requireScope,
} from './auth/index.js';
// The seams
export type {
  AgentInfo,
  Authenticator,
  ErrorStatusTable,
  HttpProblemInit,
  Principal,
  ReadinessReport,
  RunManager,
  RunRecord,
  Scope,
  ServerRuntime,
  StartedRun,
  StartRunInput,
  ToolInfo,
} from './contract.js';
// Dashboard
export type { MountDashboardOptions } from './dashboard/mount-dashboard.js';
export { DASHBOARD_CSP, mountDashboard } from './dashboard/mount-dashboard.js';
export type { CreateAppOptions, ServerApp } from './http/app.js';
export { createApp } from './http/app.js';
export type { ProblemBody } from './http/http-problem.js';
export { HttpProblem, PROBLEM_TYPE_BASE } from './http/http-problem.js';
export type { HttpRateLimitKind, ServerEnv } from './http/middleware/index.js';
export { ERROR_STATUS, httpRateLimitRules, validationProblem } from './http/middleware/index.js';
export type {
  IdempotencyCacheOptions,
  IdempotencyEntry,
  RunManagerOptions,
  RunnableAgent,
} from './runs/index.js';
export { createRunManager, IdempotencyCache, requestFingerprint } from './runs/index.js';
// Runtime and runs
export type { DemoModelOptions, ServerRuntimeOptions } from './runtime/index.js';
export { createDemoModel, createDemoTools, createServerRuntime, KNOWN_PROVIDERS } from './runtime/index.js';
// Serving
export type { RunningServer, StartServerOptions } from './server/start-server.js';
export { startServer } from './server/start-server.js';
