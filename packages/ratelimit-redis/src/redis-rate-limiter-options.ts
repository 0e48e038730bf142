import { ConfigError, type ConfigIssue, type RateLimitRule, validateRateLimitRules } from '@agent/core';
import type { RedisConnection } from './run-script.js';

/**
 * What the limiter decides when Redis fails or does not answer in time:
 * - `open`: admit the call (uncounted; its reconcile does nothing),
 * - `closed`: refuse it with rule {@link STORE_UNAVAILABLE_RULE} and `retryAfterMs` 1000,
 * - `memory`: let an in-process `MemoryRateLimiter` with the same rules decide (limits then hold
 *   per process, not across processes).
 */
export type FailurePolicy = 'open' | 'closed' | 'memory';

/** The rule named in refusals made because Redis was unavailable under the `closed` policy. */
export const STORE_UNAVAILABLE_RULE = '__store_unavailable__';

/** Options of `RedisRateLimiter`. */
export interface RedisRateLimiterOptions {
  /**
   * An ioredis `Redis` or `Cluster` (owned by the caller: `close()` leaves it open), or a Redis
   * URL, from which the limiter creates and owns a connection with no offline queue, one retry
   * per request and a command timeout of `commandTimeoutMs`.
   */
  redis: RedisConnection | string;
  /** The limits; every call is decided against all of them. Validated at construction. */
  rules: readonly RateLimitRule[];
  /** Prefix of every key the limiter writes. @default 'agent:rl:' */
  keyPrefix?: string;
  /**
   * The Redis Cluster hash tag shared by all keys of the limiter, so one script can touch every
   * rule's key (a script's keys must live in one slot). All keys under it live on one node.
   * @default 'limiter'
   */
  hashTag?: string;
  /** Longest time a decision waits for Redis before the failure policy decides. @default 200 */
  commandTimeoutMs?: number;
  /** What decides when Redis fails or is too slow. @default 'memory' */
  failurePolicy?: FailurePolicy;
  /** Called with every store failure (error or timeout), before the failure policy decides. */
  onStoreError?: (error: unknown) => void;
  /** Buckets per window; more is more precise and costs more per acquire. @default 100 */
  resolution?: number;
  /**
   * TEST ONLY: milliseconds added to Redis `TIME`, so a test can move a virtual clock forward.
   * Key expiry runs on Redis' real clock, so while it is set keys also live 60 s longer.
   */
  timeOffsetMs?: () => number;
}

/** The options with their defaults applied. */
export interface ResolvedOptions {
  keyPrefix: string;
  hashTag: string;
  commandTimeoutMs: number;
  failurePolicy: FailurePolicy;
  resolution: number;
}

const POLICIES: ReadonlySet<unknown> = new Set(['open', 'closed', 'memory']);

/** Applies defaults and throws a `ConfigError` listing every invalid option. */
export function resolveOptions(options: RedisRateLimiterOptions): ResolvedOptions {
  const file = '<RedisRateLimiter options>';
  const resolved: ResolvedOptions = {
    keyPrefix: options.keyPrefix ?? 'agent:rl:',
    hashTag: options.hashTag ?? 'limiter',
    commandTimeoutMs: options.commandTimeoutMs ?? 200,
    failurePolicy: options.failurePolicy ?? 'memory',
    resolution: options.resolution ?? 100,
  };
  const issues: ConfigIssue[] = validateRateLimitRules(options.rules, file);
  const issue = (path: string, message: string, fix: string) => issues.push({ file, path, message, fix });
  if (!(Number.isInteger(resolved.resolution) && resolved.resolution >= 1)) {
    issue('resolution', `must be an integer >= 1; got ${resolved.resolution}`, 'Leave it out to use 100.');
  }
  if (!(Number.isFinite(resolved.commandTimeoutMs) && resolved.commandTimeoutMs > 0)) {
    const message = `must be a positive number of ms; got ${resolved.commandTimeoutMs}`;
    issue('commandTimeoutMs', message, 'Leave it out to use 200.');
  }
  if (!POLICIES.has(resolved.failurePolicy)) {
    const message = `is ${JSON.stringify(resolved.failurePolicy)}`;
    issue('failurePolicy', message, "Use 'open', 'closed' or 'memory'.");
  }
  // A brace would end the tag early and spread one limiter's keys over several slots.
  if (resolved.hashTag.length === 0 || /[{}]/.test(resolved.hashTag)) {
    const message = `must be non-empty without braces; got ${JSON.stringify(resolved.hashTag)}`;
    issue('hashTag', message, "Leave it out to use 'limiter'.");
  }
  if (typeof options.redis !== 'string' && (typeof options.redis !== 'object' || options.redis === null)) {
    issue('redis', 'is missing', 'Pass an ioredis instance or a redis:// URL.');
  }
  if (issues.length > 0) {
    const lines = issues.map((found) => `${found.path} ${found.message}. ${found.fix}`);
    throw new ConfigError(`RedisRateLimiter options are invalid:\n- ${lines.join('\n- ')}`, { issues });
  }
  return resolved;
}
