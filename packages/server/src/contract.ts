/**
 * The seams inside `@agent/server`, in one place so that its parts (runtime, runs, auth, HTTP,
 * dashboard) are built against the same shapes. Everything here is a type; implementations live
 * in their folders.
 */

import type {
  AgentConfig,
  AgentError,
  AgentEvent,
  EventStore,
  ListRunsQuery,
  RateLimiter,
  RateLimitRule,
  RunPage,
  RunSummary,
  ToolRegistry,
} from '@agent/core';
import type { AgentLogger, AgentMetrics, LiveEvents } from '@agent/observability';
import type { ToolCatalog } from '@agent/tools';

/** What an authenticated caller may do. */
export type Scope = 'runs:write' | 'runs:read' | 'tools:call' | 'admin';

/** Who is calling: resolved from an API key or a JWT by the authenticator. */
export interface Principal {
  /** The API key's name or the JWT's `sub`; used for per-key rate limits and audit logs. */
  subject: string;
  /** Every run this caller starts belongs to this tenant; it sees no other tenant's runs. */
  tenant: string;
  scopes: ReadonlySet<Scope>;
  /** `anonymous` only when the server runs without auth (bound to loopback). */
  method: 'api-key' | 'jwt' | 'anonymous';
}

/** Turns request headers into a principal. */
export interface Authenticator {
  /** False when no auth is configured: every request is the anonymous principal of tenant `default`. */
  readonly enabled: boolean;
  /**
   * Reads `Authorization: Bearer <key or JWT>` or `X-API-Key: <key>`. Rejects with an
   * `HttpProblem` of status 401 (missing, malformed, unknown, revoked, expired, bad signature,
   * wrong issuer or audience, `alg: none`, ...). The message never says which check failed in a
   * way that helps an attacker tell a wrong key from a revoked one.
   */
  authenticate(headers: Headers): Promise<Principal>;
}

/** An agent as the API lists it. */
export interface AgentInfo {
  name: string;
  description: string | undefined;
  /** `agent` (tool-calling loop) or `planner-executor`. */
  kind: 'agent' | 'planner-executor';
  model: { name: string; provider: string; model: string };
  tools: string[];
}

/** A tool as the API lists it. */
export interface ToolInfo {
  name: string;
  description: string;
  /** JSON Schema (draft 2020-12) of the tool's input. */
  inputSchema: Record<string, unknown>;
}

/** Input of {@link RunManager.start}. */
export interface StartRunInput {
  agent: string;
  input: string;
  conversationId?: string;
  metadata?: Record<string, unknown>;
  principal: Principal;
  /** Same key, tenant and agent within the idempotency window: the same run is returned. */
  idempotencyKey?: string;
  requestId?: string;
}

/** A run that was started (or found again by its idempotency key). */
export interface StartedRun {
  runId: string;
  /** True when the idempotency key matched an earlier request: no new run was started. */
  reused: boolean;
  /** Settles with the run's final record once it has ended (never rejects: failures are records). */
  done: Promise<RunRecord>;
}

/** A run as the API returns it: its summary plus, once ended, its output or error. */
export interface RunRecord extends RunSummary {
  output?: unknown;
  error?: { code: string; message: string };
}

/** Starts, finds, streams and cancels runs, scoped by tenant. */
export interface RunManager {
  /**
   * Starts a run in the background. Rejects with `HttpProblem` 404 for an unknown agent, 422 for
   * an idempotency key reused with a different body, 503 while draining.
   */
  start(input: StartRunInput): Promise<StartedRun>;
  /** The run, if it exists and belongs to `tenant` (`undefined` tenant: any, for admins). */
  get(runId: string, tenant: string | undefined): Promise<RunRecord | undefined>;
  /** Runs newest first; `query.tenant` is forced to the caller's tenant unless admin. */
  list(query: ListRunsQuery): Promise<RunPage>;
  /**
   * The run's events with `seq > afterSeq`: stored ones first, then live ones until the terminal
   * event, without gaps or duplicates at the seam. `undefined` when the run does not exist for
   * this tenant. Ends early when `signal` aborts.
   */
  events(
    runId: string,
    tenant: string | undefined,
    options: { afterSeq?: number; signal?: AbortSignal },
  ): Promise<AsyncIterable<AgentEvent> | undefined>;
  /** Live events of every run of `tenant` (all tenants when undefined), for the dashboard. */
  liveEvents(tenant: string | undefined, signal: AbortSignal): AsyncIterable<AgentEvent>;
  /** Cancels a running run of this tenant. */
  cancel(runId: string, tenant: string | undefined): Promise<'cancelled' | 'not-running' | 'not-found'>;
  /** Runs in flight in this process. */
  readonly active: number;
  /** True once {@link drain} was called: `start` refuses new runs. */
  readonly draining: boolean;
  /**
   * Refuses new runs, waits up to `graceMs` for in-flight runs, then cancels the rest (recorded as
   * cancelled) and waits for their terminal events to be stored.
   */
  drain(graceMs: number): Promise<{ finished: number; cancelled: number }>;
}

/** A readiness check's result. */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/** Everything built from the config that the HTTP layer serves. */
export interface ServerRuntime {
  readonly config: AgentConfig;
  readonly logger: AgentLogger;
  /** Undefined when `observability.metrics.enabled` is false. */
  readonly metrics: AgentMetrics | undefined;
  readonly store: EventStore;
  readonly live: LiveEvents;
  /** The configured limiter (memory or Redis) of the model calls. */
  readonly limiter: RateLimiter;
  /**
   * A limiter on the same backend (Redis when configured) with other rules and its own key
   * space: the HTTP rate limits use one, so they hold across replicas as the model limits do.
   */
  limiterFor(rules: readonly RateLimitRule[], purpose: string): RateLimiter;
  readonly runs: RunManager;
  readonly tools: ToolRegistry;
  /** Every tool with all its versions and where each came from (built-in, plugin, MCP server). */
  readonly toolCatalog: ToolCatalog;
  readonly agents: readonly AgentInfo[];
  /** True when no API key was found for a configured model and the built-in demo model answers instead. */
  readonly demoModel: boolean;
  /** Config loaded, store and Redis reachable, not draining. */
  ready(): Promise<ReadinessReport>;
  /** Drains runs (see {@link RunManager.drain}), then flushes and closes sinks, store, limiter and logger. */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** An error with an HTTP status, rendered as RFC 9457 problem details. */
export interface HttpProblemInit {
  status: number;
  /** Short, stable: `unauthorized`, `not-found`, `validation-failed`, `rate-limited`, ... */
  code: string;
  /** What happened and what to do, for the caller. */
  detail: string;
  /** Field-level problems of a validation failure: JSON pointer-ish path and message. */
  errors?: { path: string; message: string }[];
  /** Seconds, for 429 and 503. */
  retryAfterSeconds?: number;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** Maps an error from core to an HTTP status: the one table the server owns. */
export type ErrorStatusTable = Readonly<Record<AgentError['code'], number>>;
