import type { AgentConfig, RateLimiter, RateLimitRule } from '@agent/core';
import type { MiddlewareHandler } from 'hono';
import { HttpProblem } from '../http-problem.js';

/** `server.rateLimit` of the config. */
export type HttpRateLimitConfig = AgentConfig['server']['rateLimit'];

/** Which HTTP limit refused a request: the caller's own (`key`) or its tenant's. */
export type HttpRateLimitKind = 'key' | 'tenant';

/** Names of the rules {@link httpRateLimitRules} builds. */
export const HTTP_RATE_LIMIT_RULES = { key: 'http-per-key', tenant: 'http-per-tenant' } as const;

/** Options of {@link httpRateLimit}. */
export interface HttpRateLimitOptions {
  /** Told of every refused request, e.g. `(kind) => metrics.recordRateLimitRejection('http', kind)`. */
  onRejected?: (kind: HttpRateLimitKind) => void;
}

/**
 * The limiter rules of `server.rateLimit`: `http-per-key` counts requests per principal
 * (API key name or JWT subject, within its tenant and auth method) and `http-per-tenant` per
 * tenant. The principal travels in the `agent` dimension of the request, the only free-form one
 * besides `tenant`; give these rules a limiter of their own (see {@link httpRateLimit}).
 */
export function httpRateLimitRules(config: HttpRateLimitConfig): RateLimitRule[] {
  const rules: RateLimitRule[] = [];
  if (config?.perKey) {
    const { maxRequests, windowMs } = config.perKey;
    rules.push({ name: HTTP_RATE_LIMIT_RULES.key, scope: 'agent', maxCalls: maxRequests, windowMs });
  }
  if (config?.perTenant) {
    const { maxRequests, windowMs } = config.perTenant;
    rules.push({ name: HTTP_RATE_LIMIT_RULES.tenant, scope: 'tenant', maxCalls: maxRequests, windowMs });
  }
  return rules;
}

/**
 * Limits requests per principal and per tenant (`server.rateLimit`), after `authenticate()`.
 * A refused request gets a 429 `rate-limited` problem with `Retry-After` in seconds; both limits
 * are decided in one `acquire`, so a refused request consumes neither.
 *
 * `limiter` must enforce exactly {@link httpRateLimitRules}`(config)` and nothing else: a
 * limiter is decided against all of its rules, so sharing the model limiter would count each
 * request against the model limits (and model calls against these). Pass a factory to have it
 * built with those rules, e.g. `(rules) => new MemoryRateLimiter({ rules })` or a
 * `RedisRateLimiter` with its own `keyPrefix` so limits hold across replicas. Without any limit
 * configured the middleware does nothing and the factory is not called.
 *
 * @example
 * ```ts
 * app.use('/v1/*', authenticate(authenticator), httpRateLimit((rules) => new MemoryRateLimiter({ rules }), config.server.rateLimit, {
 *   onRejected: (kind) => metrics?.recordRateLimitRejection('http', kind),
 * }));
 * ```
 */
export function httpRateLimit(
  limiter: RateLimiter | ((rules: RateLimitRule[]) => RateLimiter),
  config: HttpRateLimitConfig,
  options: HttpRateLimitOptions = {},
): MiddlewareHandler {
  const rules = httpRateLimitRules(config);
  if (rules.length === 0) {
    return async function noHttpRateLimit(_c, next) {
      await next();
    };
  }
  const resolved = typeof limiter === 'function' ? limiter(rules) : limiter;

  return async function httpRateLimitMiddleware(c, next) {
    const principal = c.get('principal');
    if (principal === undefined) {
      throw new Error('httpRateLimit() needs a principal: mount it after authenticate().');
    }
    const decision = await resolved.acquire({
      // The method keeps a JWT subject from sharing a counter with an API key of the same name.
      agent: `${principal.method}:${encodeURIComponent(principal.tenant)}:${encodeURIComponent(principal.subject)}`,
      tenant: principal.tenant,
    });
    if (decision.allowed) {
      await next();
      return;
    }
    const kind: HttpRateLimitKind = decision.rule === HTTP_RATE_LIMIT_RULES.key ? 'key' : 'tenant';
    options.onRejected?.(kind);
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    const whose = kind === 'key' ? 'this API key or token' : `tenant "${principal.tenant}"`;
    throw new HttpProblem({
      status: 429,
      code: 'rate-limited',
      detail: `Too many requests for ${whose}. Retry after ${retryAfterSeconds} s.`,
      retryAfterSeconds,
    });
  };
}
