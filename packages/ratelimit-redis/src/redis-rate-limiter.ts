import { randomUUID } from 'node:crypto';
import {
  MemoryRateLimiter,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitRequest,
  type RateLimitReservation,
  type RateLimitRule,
  rateLimitKey,
  ValidationError,
} from '@agent/core';
import { Redis } from 'ioredis';
import { acquireScript, reconcileScript } from './lua-scripts.js';
import {
  type RedisRateLimiterOptions,
  type ResolvedOptions,
  resolveOptions,
  STORE_UNAVAILABLE_RULE,
} from './redis-rate-limiter-options.js';
import { decodeReservationId, encodeReservationId, type ReservedBucket } from './reservation-id.js';
import { type RedisConnection, runScript } from './run-script.js';

/** Counts of store failures, from {@link RedisRateLimiter.stats}. */
export interface RedisRateLimiterStats {
  /** Redis errors and timeouts seen by acquire and reconcile. */
  storeErrors: number;
  /** Acquires decided by the failure policy instead of Redis. */
  fallbackDecisions: number;
}

// Virtual time (timeOffsetMs) runs ahead of the real clock Redis expires keys by.
const TEST_EXPIRY_EXTENSION_MS = 60_000;

/**
 * A {@link RateLimiter} on Redis whose limits hold across processes and machines.
 *
 * The algorithm is `MemoryRateLimiter`'s bucketed sliding window: each rule key is a Redis hash
 * of buckets of `windowMs / resolution`, and a bucket counts until its end is `windowMs` old. It
 * never admits more than a rule allows in any window; a call is forgotten at most one bucket
 * (1% of the window by default) late, so calls may be refused, and `retryAfterMs` be longer, by
 * up to one bucket compared with an exact sliding log. All rules of one acquire are decided
 * atomically by one Lua script in one round trip, on Redis' clock (`TIME`), so the hosts' clocks
 * do not matter. Token counts are rounded up to whole tokens.
 *
 * When Redis fails or does not answer within `commandTimeoutMs`, the error is passed to
 * `onStoreError`, counted in {@link stats}, and `failurePolicy` decides; the next acquire tries
 * Redis again, so limiting resumes when it returns.
 *
 * @example
 * ```ts
 * const limiter = new RedisRateLimiter({
 *   redis: 'redis://127.0.0.1:6379',
 *   rules: [{ name: 'per-tenant', scope: 'tenant', maxCalls: 60, windowMs: 60_000 }],
 *   failurePolicy: 'memory',
 * });
 * const decision = await limiter.acquire({ tenant: 'acme', tokens: 1200 });
 * if (decision.allowed) await limiter.reconcile(decision.reservation, 950);
 * await limiter.close();
 * ```
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: RedisConnection;
  private readonly owned: boolean;
  private readonly options: ResolvedOptions;
  private readonly rules: readonly { rule: RateLimitRule; bucketMs: number; limits: string[] }[];
  /** Every key starts with it; reconcile refuses ids naming other keys. */
  private readonly keyBase: string;
  private readonly memory: MemoryRateLimiter | undefined;
  private readonly onStoreError: ((error: unknown) => void) | undefined;
  private readonly timeOffsetMs: (() => number) | undefined;
  private storeErrors = 0;
  private fallbackDecisions = 0;

  constructor(options: RedisRateLimiterOptions) {
    this.options = resolveOptions(options);
    const { keyPrefix, hashTag, resolution, commandTimeoutMs, failurePolicy } = this.options;
    this.keyBase = `${keyPrefix}{${hashTag}}:`;
    this.timeOffsetMs = options.timeOffsetMs;
    const extensionMs = options.timeOffsetMs ? TEST_EXPIRY_EXTENSION_MS : 0;
    this.rules = options.rules.map((rule) => {
      const bucketMs = rule.windowMs / resolution;
      const expiryMs = 2 * rule.windowMs + extensionMs;
      const limits = [rule.windowMs, bucketMs, rule.maxCalls ?? -1, rule.maxTokens ?? -1, expiryMs];
      return { rule: { ...rule }, bucketMs, limits: limits.map(String) };
    });
    this.memory =
      failurePolicy === 'memory' ? new MemoryRateLimiter({ rules: options.rules, resolution }) : undefined;
    this.onStoreError = options.onStoreError;
    if (typeof options.redis === 'string') {
      this.owned = true;
      this.redis = new Redis(options.redis, {
        enableOfflineQueue: false,
        commandTimeout: commandTimeoutMs,
        maxRetriesPerRequest: 1,
        lazyConnect: false,
      });
      // Connection errors also fail the commands in flight, which report them; without a
      // listener ioredis would print each reconnect attempt's error.
      this.redis.on('error', () => {});
    } else {
      this.owned = false;
      this.redis = options.redis;
    }
  }

  /** Decides one call against every rule in one Redis round trip: all count it, or none does. */
  async acquire(request: RateLimitRequest): Promise<RateLimitDecision> {
    const tokens = request.tokens ?? 0;
    if (!(Number.isFinite(tokens) && tokens >= 0)) {
      throw new ValidationError(
        `Rate-limit request tokens must be a finite number >= 0; got ${String(tokens)}. Check the token estimate.`,
      );
    }
    const reserved = Math.ceil(tokens);
    const keys = this.rules.map(({ rule }) => `${this.keyBase}k:${rateLimitKey(rule, request)}`);
    const args: string[] = [String(this.timeOffsetMs?.() ?? 0), String(reserved)];
    for (const { limits } of this.rules) args.push(...limits);
    try {
      const reply = await runScript(this.redis, acquireScript, keys, args, this.options.commandTimeoutMs);
      return this.toDecision(reply, keys, tokens, reserved);
    } catch (error) {
      return this.fallback(request, error);
    }
  }

  /**
   * Replaces a reservation's estimated tokens with `actualTokens` in every bucket that counted it
   * and is still in its window. Works from any replica (the id carries what it needs) and only
   * once per reservation. A non-finite count is ignored, a negative one counts as 0, and a store
   * failure is reported and counted but not thrown: the estimate then stands.
   */
  async reconcile(reservation: RateLimitReservation, actualTokens: number): Promise<void> {
    const details = decodeReservationId(reservation.id);
    if (details === undefined || details.store === 'open') return;
    if (details.store === 'memory') {
      await this.memory?.reconcile({ ...reservation, id: details.id }, actualTokens);
      return;
    }
    if (!Number.isFinite(actualTokens)) return;
    if (!details.buckets.every(({ key }) => key.startsWith(this.keyBase))) return;
    const delta = Math.ceil(Math.max(0, actualTokens)) - details.tokens;
    const extensionMs = this.timeOffsetMs ? TEST_EXPIRY_EXTENSION_MS : 0;
    const horizonMs = Math.max(...details.buckets.map((bucket) => bucket.windowMs + bucket.bucketMs));
    const keys = [`${this.keyBase}r:${details.nonce}`, ...details.buckets.map(({ key }) => key)];
    const args = [
      String(this.timeOffsetMs?.() ?? 0),
      String(delta),
      String(Math.ceil(horizonMs) + extensionMs),
    ];
    for (const { bucket, windowMs, bucketMs } of details.buckets)
      args.push(bucket, String(windowMs), String(bucketMs));
    try {
      await runScript(this.redis, reconcileScript, keys, args, this.options.commandTimeoutMs);
    } catch (error) {
      this.reportStoreError(error);
    }
  }

  /** Store failures seen so far. */
  stats(): RedisRateLimiterStats {
    return { storeErrors: this.storeErrors, fallbackDecisions: this.fallbackDecisions };
  }

  /** Closes the connection the limiter created from a URL; a caller's connection stays open. */
  async close(): Promise<void> {
    if (!this.owned) return;
    try {
      await this.redis.quit();
    } catch {
      // Not connected: nothing to say goodbye to, just stop reconnecting.
      this.redis.disconnect();
    }
  }

  private toDecision(reply: unknown, keys: string[], tokens: number, reserved: number): RateLimitDecision {
    if (!Array.isArray(reply)) throw new Error(`Unexpected reply from the acquire script: ${String(reply)}`);
    if (reply[0] === 1) {
      const at = Number(reply[1]);
      const buckets: ReservedBucket[] = this.rules.map(({ rule, bucketMs }, position) => ({
        key: keys[position] as string,
        bucket: String(reply[position + 2]),
        windowMs: rule.windowMs,
        bucketMs,
      }));
      const id = encodeReservationId({ store: 'redis', nonce: randomUUID(), tokens: reserved, buckets });
      return { allowed: true, reservation: { id, tokens, at } };
    }
    const rule = this.rules[Number(reply[1]) - 1]?.rule;
    if (rule === undefined) throw new Error(`Unexpected reply from the acquire script: ${String(reply)}`);
    const kind = reply[2] === 'tokens' ? 'tokens' : 'calls';
    const retryAfterMs = Math.max(0, Math.ceil(Number(reply[3])));
    if (reply[4] === 1) return { allowed: false, retryAfterMs, rule: rule.name, kind, permanent: true };
    return { allowed: false, retryAfterMs, rule: rule.name, kind };
  }

  private async fallback(request: RateLimitRequest, error: unknown): Promise<RateLimitDecision> {
    this.reportStoreError(error);
    this.fallbackDecisions++;
    const tokens = request.tokens ?? 0;
    // Local time is only read here, where Redis' clock is out of reach.
    const at = Date.now();
    if (this.options.failurePolicy === 'open') {
      return { allowed: true, reservation: { id: encodeReservationId({ store: 'open' }), tokens, at } };
    }
    if (this.memory === undefined) {
      return { allowed: false, retryAfterMs: 1000, rule: STORE_UNAVAILABLE_RULE, kind: 'calls' };
    }
    const decision = await this.memory.acquire(request);
    if (!decision.allowed) return decision;
    const id = encodeReservationId({ store: 'memory', id: decision.reservation.id });
    return { allowed: true, reservation: { ...decision.reservation, id } };
  }

  private reportStoreError(error: unknown): void {
    this.storeErrors++;
    try {
      this.onStoreError?.(error);
    } catch {
      // A failing listener must not turn a policy decision into a thrown acquire.
    }
  }
}
