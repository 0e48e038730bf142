/** A dimension a rule counts by. */
export type RateLimitDimension = 'agent' | 'model' | 'tenant';

/**
 * Which calls share one counter: `global` (all calls), one dimension, or a combination
 * (`['tenant', 'model']`: one counter per tenant and model pair).
 */
export type RateLimitScope = 'global' | RateLimitDimension | readonly RateLimitDimension[];

/** One limit. At least one of `maxCalls` and `maxTokens` must be set. */
export interface RateLimitRule {
  /** Unique name, reported when the rule refuses a call. */
  name: string;
  scope: RateLimitScope;
  /** Most calls admitted in any window of `windowMs`. */
  maxCalls?: number;
  /** Most tokens (estimated at acquire, reconciled after) admitted in any window. */
  maxTokens?: number;
  /** Length of the sliding window in ms. */
  windowMs: number;
}

/** What one acquire asks for. Missing dimensions count as `"*"`. */
export interface RateLimitRequest {
  agent?: string;
  model?: string;
  tenant?: string;
  /** Estimated tokens the call will use. @default 0 */
  tokens?: number;
}

/** An admitted acquire: hand it back to `reconcile` with the actual token usage. */
export interface RateLimitReservation {
  /** Opaque id of the reservation, unique per limiter. */
  id: string;
  /** Tokens reserved at acquire. */
  tokens: number;
  /** The time the reservation was made (ms). */
  at: number;
}

/** The answer to an acquire. */
export type RateLimitDecision =
  | { allowed: true; reservation: RateLimitReservation }
  | {
      allowed: false;
      /** When the call could be admitted, in ms from now. */
      retryAfterMs: number;
      /** Name of the rule that refused (the one with the longest wait when several did). */
      rule: string;
      /** What ran out. */
      kind: 'calls' | 'tokens';
      /** True when waiting cannot help: the request's tokens exceed the rule's `maxTokens`. */
      permanent?: boolean;
    };

/**
 * The rate-limiting seam: `MemoryRateLimiter` here, `RedisRateLimiter` in
 * `@agent/ratelimit-redis`. All rules are decided together: either every rule admits the call
 * and all of them count it, or none does.
 */
export interface RateLimiter {
  /** Decides one call against every rule. */
  acquire(request: RateLimitRequest): Promise<RateLimitDecision>;
  /** Replaces the reservation's estimated tokens with the actual count. */
  reconcile(reservation: RateLimitReservation, actualTokens: number): Promise<void>;
}

/** The counter key of `rule` for `request`: the rule name plus each scoped dimension's value. */
export function rateLimitKey(rule: RateLimitRule, request: RateLimitRequest): string {
  if (rule.scope === 'global') return rule.name;
  const dimensions: readonly RateLimitDimension[] =
    typeof rule.scope === 'string' ? [rule.scope] : rule.scope;
  let key = rule.name;
  for (const dimension of dimensions) key += `|${dimension}=${request[dimension] ?? '*'}`;
  return key;
}
