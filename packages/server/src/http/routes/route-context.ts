import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import type { Principal, Scope, ServerRuntime } from '../../contract.js';
import { HttpProblem } from '../http-problem.js';
import type { SseStreamOptions } from '../sse.js';

/** What the route modules need from `createApp`. */
export interface RouteDeps {
  runtime: ServerRuntime;
  /** Route middleware of a protected operation: authentication, the scope check, the HTTP rate limit. */
  protect(scope: Scope): MiddlewareHandler[];
  /** Route middleware of a non-streaming operation: the request timeout, when configured. */
  timeout: MiddlewareHandler[];
  /** Route middleware of a streaming operation: exempts it from the request timeout. */
  streaming: MiddlewareHandler[];
  /** Heartbeat, per-client queue bound and slow-client deadline of SSE streams. */
  sse: Required<Pick<SseStreamOptions, 'heartbeatMs' | 'maxBufferedBytes' | 'slowClientMs'>>;
}

/** Names of the security schemes in the OpenAPI document. */
export const SECURITY_SCHEMES = { bearer: 'bearerAuth', apiKey: 'apiKeyHeader' } as const;

/**
 * The OpenAPI `security` of an operation needing `scope`: either scheme, the scope listed as its
 * role (OpenAPI 3.1 allows role names for non-OAuth schemes).
 */
export function securityFor(scope: Scope): Record<string, string[]>[] {
  return [{ [SECURITY_SCHEMES.bearer]: [scope] }, { [SECURITY_SCHEMES.apiKey]: [scope] }];
}

/**
 * The tenant whose runs the caller sees: its own, or every tenant's for `admin` (the run manager
 * reads `undefined` as any tenant).
 */
export function tenantOf(principal: Principal): string | undefined {
  return principal.scopes.has('admin') ? undefined : principal.tenant;
}

/**
 * The 404 of a run that does not exist *for this caller*. Deliberately the same detail for an
 * unknown id and another tenant's run, so ids cannot be probed across tenants.
 */
export function runNotFound(): HttpProblem {
  return new HttpProblem({
    status: 404,
    code: 'run-not-found',
    detail:
      'There is no run with this id. Check the id, and that you use a credential of the tenant that started it.',
  });
}

/** Where a run and its events are. */
export function runLinks(runId: string): { self: string; events: string } {
  const self = `/v1/runs/${encodeURIComponent(runId)}`;
  return { self, events: `${self}/events` };
}

/** The connection of a streaming response: its signal, and on Node a way to cut it. */
export function connectionOf(c: Context): { signal: AbortSignal; destroy?: () => void } {
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  return {
    signal: c.req.raw.signal,
    ...(outgoing !== undefined ? { destroy: () => outgoing.destroy() } : {}),
  };
}
