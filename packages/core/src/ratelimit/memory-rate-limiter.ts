import { ConfigError, ValidationError } from '../errors/errors.js';
import { type Clock, systemClock } from '../util/clock.js';
import type { RateLimitRefusal } from './acquire-with-policy.js';
import {
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitRequest,
  type RateLimitReservation,
  type RateLimitRule,
  rateLimitKey,
} from './rate-limiter.js';
import { validateRateLimitRules } from './validate-rate-limit-rules.js';
import { type WindowBucket, WindowCounter } from './window-counter.js';

/** Options of {@link MemoryRateLimiter}. */
export interface MemoryRateLimiterOptions {
  /** The limits; every call is decided against all of them. Validated at construction. */
  rules: readonly RateLimitRule[];
  /** Source of time. @default systemClock */
  clock?: Clock;
  /**
   * Most counters (one per rule and scope key, e.g. per tenant) held at once. At the limit the
   * least recently used counter is dropped, which forgets its calls: set it above the number of
   * keys active within one window. @default 10_000
   */
  maxKeys?: number;
  /** Buckets per window; more is more precise and uses more memory. @default 100 */
  resolution?: number;
  /**
   * Most reservations awaiting `reconcile` held at once; past it the oldest is forgotten and its
   * estimate stands. @default 100_000
   */
  maxReservations?: number;
}

interface PendingReservation {
  tokens: number;
  at: number;
  entries: { key: string; counter: WindowCounter; bucket: WindowBucket }[];
}

/**
 * An in-process sliding-window {@link RateLimiter}, for one process (use
 * `@agent/ratelimit-redis` across several). Calls and tokens are counted in buckets of
 * `windowMs / resolution`; memory per key is bounded by `resolution + 1` buckets and keys are
 * capped by `maxKeys`.
 *
 * It never admits more than a rule allows in any window: a bucket counts until its latest call
 * is `windowMs` old, so an earlier call in the same bucket is forgotten at most one bucket width
 * late, never early. `retryAfterMs` is exact for that accounting (so at most one bucket width
 * longer than a perfect sliding window would say). A request whose `tokens` exceed a rule's
 * `maxTokens` can never fit; it is refused with `permanent: true` (and `retryAfterMs` = `windowMs`).
 *
 * @example
 * ```ts
 * const limiter = new MemoryRateLimiter({
 *   rules: [
 *     { name: 'per-tenant', scope: 'tenant', maxCalls: 60, windowMs: 60_000 },
 *     { name: 'model-tokens', scope: 'model', maxTokens: 200_000, windowMs: 60_000 },
 *   ],
 * });
 * const decision = await limiter.acquire({ tenant: 'acme', model: 'gpt-4o-mini', tokens: 1200 });
 * if (decision.allowed) await limiter.reconcile(decision.reservation, 950);
 * ```
 */
export class MemoryRateLimiter implements RateLimiter {
  // `empty` stands in for keys without a counter, so checking a new key allocates nothing.
  private readonly rules: readonly { rule: RateLimitRule; bucketMs: number; empty: WindowCounter }[];
  private readonly clock: Clock;
  private readonly maxKeys: number;
  private readonly maxReservations: number;
  /** Longest time a reservation's buckets can stay in a window; older reservations are dropped. */
  private readonly horizonMs: number;
  /** Insertion order is recency of use: the first entry is the least recently used. */
  private readonly counters = new Map<string, WindowCounter>();
  private readonly reservations = new Map<string, PendingReservation>();
  private sequence = 0;
  private evictions = 0;
  private touches = 0;

  constructor(options: MemoryRateLimiterOptions) {
    const resolution = options.resolution ?? 100;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.maxReservations = options.maxReservations ?? 100_000;
    validateOptions(options.rules, resolution, this.maxKeys, this.maxReservations);
    this.rules = options.rules.map((rule) => {
      const copy = { ...rule };
      const bucketMs = rule.windowMs / resolution;
      return { rule: copy, bucketMs, empty: new WindowCounter(copy, bucketMs) };
    });
    this.clock = options.clock ?? systemClock;
    this.horizonMs = Math.max(0, ...this.rules.map(({ rule, bucketMs }) => rule.windowMs + bucketMs));
  }

  /** Counters held now; never more than `maxKeys`. */
  get keyCount(): number {
    return this.counters.size;
  }

  /** Counters dropped because `maxKeys` was reached (each may have let calls through early). */
  get evictedKeyCount(): number {
    return this.evictions;
  }

  /** Decides one call against every rule: all admit and count it, or none counts it. */
  async acquire(request: RateLimitRequest): Promise<RateLimitDecision> {
    const tokens = request.tokens ?? 0;
    if (!(Number.isFinite(tokens) && tokens >= 0)) {
      throw new ValidationError(
        `Rate-limit request tokens must be a finite number >= 0; got ${String(tokens)}. Check the token estimate.`,
      );
    }
    const now = this.clock.now();
    this.sweep(now);

    // Check every rule before recording in any, so a refusal by one rule consumes nothing.
    const keys: string[] = [];
    let refusal: RateLimitRefusal | undefined;
    for (const { rule, empty } of this.rules) {
      const key = rateLimitKey(rule, request);
      keys.push(key);
      const counter = this.counters.get(key) ?? empty;
      counter.prune(now);
      const candidate = counter.refusal(tokens, now);
      // Report the longest wait: after it every rule refusing now has room again.
      if (candidate?.permanent) return candidate;
      if (candidate && (!refusal || candidate.retryAfterMs > refusal.retryAfterMs)) refusal = candidate;
    }
    if (refusal) return refusal;

    const entries: PendingReservation['entries'] = [];
    this.rules.forEach(({ rule, bucketMs }, position) => {
      const key = keys[position] as string;
      const counter = this.touch(key, rule, bucketMs);
      const bucket = counter.record(tokens, now);
      entries.push({ key, counter, bucket });
    });

    const id = `r${++this.sequence}`;
    this.reservations.set(id, { tokens, at: now, entries });
    if (this.reservations.size > this.maxReservations) this.deleteFirst(this.reservations);
    return { allowed: true, reservation: { id, tokens, at: now } };
  }

  /**
   * Replaces a reservation's estimated tokens with `actualTokens` in every bucket that recorded
   * it and is still in its window. A reservation is reconciled once; repeating it, or passing one
   * this limiter does not hold (too old, or from elsewhere), does nothing. A non-finite count is
   * ignored (the estimate stands) and a negative one counts as 0, so a bad usage report cannot
   * corrupt the counters.
   */
  async reconcile(reservation: RateLimitReservation, actualTokens: number): Promise<void> {
    const pending = this.reservations.get(reservation.id);
    if (!pending) return;
    this.reservations.delete(reservation.id);
    if (!Number.isFinite(actualTokens)) return;
    const delta = Math.max(0, actualTokens) - pending.tokens;
    if (delta === 0) return;
    const now = this.clock.now();
    for (const { key, counter, bucket } of pending.entries) {
      // A counter evicted (and maybe recreated) since never held these tokens.
      if (this.counters.get(key) === counter) counter.adjust(bucket, delta, now);
    }
  }

  /**
   * Returns the key's counter, created if needed, marked recently used. A counter moved to the
   * recent end within the last `maxKeys / 2` touches is still in the newer half of the map, so
   * it is not moved again: the LRU order stays right where eviction looks (the old end) without
   * a Map delete + set on every acquire of a hot key.
   */
  private touch(key: string, rule: RateLimitRule, bucketMs: number): WindowCounter {
    this.touches++;
    let counter = this.counters.get(key);
    if (counter) {
      if (this.touches - counter.touchedAt < this.maxKeys / 2) return counter;
      this.counters.delete(key);
    } else {
      counter = new WindowCounter(rule, bucketMs);
      // maxKeys >= rules.length (validated), so this never evicts a counter of the current call.
      while (this.counters.size >= this.maxKeys) {
        this.deleteFirst(this.counters);
        this.evictions++;
      }
    }
    counter.touchedAt = this.touches;
    this.counters.set(key, counter);
    return counter;
  }

  /**
   * Drops idle counters and stale reservations from the old end. Lazy and amortised: it stops at
   * the first live entry, so a long-window key can shelter idle keys behind it until `maxKeys`
   * evicts them.
   */
  private sweep(now: number): void {
    for (const [key, counter] of this.counters) {
      counter.prune(now);
      if (!counter.idle) break;
      this.counters.delete(key);
    }
    for (const [id, pending] of this.reservations) {
      if (now - pending.at < this.horizonMs) break;
      this.reservations.delete(id);
    }
  }

  private deleteFirst(map: Map<string, unknown>): void {
    const first = map.keys().next();
    if (!first.done) map.delete(first.value);
  }
}

function validateOptions(
  rules: readonly RateLimitRule[],
  resolution: number,
  maxKeys: number,
  maxReservations: number,
) {
  const file = '<MemoryRateLimiter options>';
  const issues = validateRateLimitRules(rules, file);
  // Fewer keys than rules would let one acquire evict the counters it has just recorded in.
  const checks: [path: string, value: number, minimum: number][] = [
    ['resolution', resolution, 1],
    ['maxKeys', maxKeys, Math.max(1, rules.length)],
    ['maxReservations', maxReservations, 1],
  ];
  for (const [path, value, minimum] of checks) {
    if (!(Number.isInteger(value) && value >= minimum)) {
      const message = `must be an integer >= ${minimum}; got ${value}`;
      issues.push({ file, path, message, fix: 'Leave it out to use the default.' });
    }
  }
  if (issues.length > 0) {
    const lines = issues.map((found) => `${found.path} ${found.message}. ${found.fix}`);
    throw new ConfigError(`MemoryRateLimiter options are invalid:\n- ${lines.join('\n- ')}`, { issues });
  }
}
