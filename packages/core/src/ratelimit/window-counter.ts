import type { RateLimitDecision, RateLimitRule } from './rate-limiter.js';

type RateLimitRefusal = Extract<RateLimitDecision, { allowed: false }>;

/** Calls and tokens recorded in one slice of time. */
export interface WindowBucket {
  /** `floor(time / bucketMs)`: which slice of time the bucket covers. */
  readonly index: number;
  calls: number;
  tokens: number;
  /** Time of the latest call recorded in the bucket; the bucket counts until this plus the window. */
  lastAt: number;
}

/**
 * The calls and tokens of one rule for one key over a sliding window, kept in buckets of
 * `bucketMs` so memory stays bounded (at most `windowMs / bucketMs + 1` buckets). The building
 * block of `MemoryRateLimiter`.
 *
 * A bucket counts until its latest call is `windowMs` old. Calls are therefore never forgotten
 * early (no over-admission), and an earlier call in the same bucket at most one bucket late.
 */
export class WindowCounter {
  /** The rule this counter enforces. */
  readonly rule: RateLimitRule;
  private readonly bucketMs: number;
  // Oldest first; buckets leave from the front as they expire.
  private readonly buckets: WindowBucket[] = [];
  private calls = 0;
  private tokens = 0;
  /** The limiter's touch count when this counter was last moved to the recent end of its LRU. */
  touchedAt = 0;

  constructor(rule: RateLimitRule, bucketMs: number) {
    this.rule = rule;
    this.bucketMs = bucketMs;
  }

  /** True when nothing recorded is still in the window (after {@link prune}). */
  get idle(): boolean {
    return this.buckets.length === 0;
  }

  /** Drops the buckets whose latest call has left the window at `now`. */
  prune(now: number): void {
    let oldest = this.buckets[0];
    while (oldest !== undefined && oldest.lastAt + this.rule.windowMs <= now) {
      this.calls -= oldest.calls;
      this.tokens -= oldest.tokens;
      this.buckets.shift();
      oldest = this.buckets[0];
    }
  }

  /**
   * Why the rule refuses one more call of `tokens` at `now`, or `undefined` when it admits it.
   * Call {@link prune} first. When both calls and tokens are short, the longer wait is reported.
   */
  refusal(tokens: number, now: number): RateLimitRefusal | undefined {
    const { rule } = this;
    let refusal: RateLimitRefusal | undefined;
    if (rule.maxCalls !== undefined && this.calls + 1 > rule.maxCalls) {
      const retryAfterMs = this.waitUntilFreed('calls', this.calls + 1 - rule.maxCalls, now);
      refusal = { allowed: false, retryAfterMs, rule: rule.name, kind: 'calls' };
    }
    if (rule.maxTokens !== undefined) {
      let retryAfterMs: number | undefined;
      // No wait makes it fit; a whole window is the honest "not soon" the interface can express.
      if (tokens > rule.maxTokens) retryAfterMs = rule.windowMs;
      else if (this.tokens + tokens > rule.maxTokens) {
        retryAfterMs = this.waitUntilFreed('tokens', this.tokens + tokens - rule.maxTokens, now);
      }
      if (tokens > rule.maxTokens) {
        // Waiting cannot help; say so, so callers in 'wait' mode fail at once.
        return {
          allowed: false,
          retryAfterMs: rule.windowMs,
          rule: rule.name,
          kind: 'tokens',
          permanent: true,
        };
      }
      if (retryAfterMs !== undefined && (!refusal || retryAfterMs > refusal.retryAfterMs)) {
        refusal = { allowed: false, retryAfterMs, rule: rule.name, kind: 'tokens' };
      }
    }
    return refusal;
  }

  /** Counts one call of `tokens` at `now`; returns the bucket it went in (for {@link adjust}). */
  record(tokens: number, now: number): WindowBucket {
    const index = Math.floor(now / this.bucketMs);
    let bucket = this.buckets[this.buckets.length - 1];
    // A clock that stepped back reuses the newest bucket, so buckets stay in order.
    if (bucket === undefined || bucket.index < index) {
      bucket = { index, calls: 0, tokens: 0, lastAt: now };
      this.buckets.push(bucket);
    }
    bucket.calls += 1;
    bucket.tokens += tokens;
    bucket.lastAt = Math.max(bucket.lastAt, now);
    this.calls += 1;
    this.tokens += tokens;
    return bucket;
  }

  /** Adds `delta` tokens to `bucket` if it is still in the window at `now`; says whether it was. */
  adjust(bucket: WindowBucket, delta: number, now: number): boolean {
    this.prune(now);
    const oldest = this.buckets[0];
    // Buckets leave from the front in index order, so an older index than the front means gone.
    if (oldest === undefined || bucket.index < oldest.index) return false;
    bucket.tokens += delta;
    this.tokens += delta;
    return true;
  }

  /** Time until enough of the oldest buckets expire to free `needed` calls or tokens. */
  private waitUntilFreed(kind: 'calls' | 'tokens', needed: number, now: number): number {
    let freed = 0;
    for (const bucket of this.buckets) {
      freed += bucket[kind];
      if (freed >= needed) return bucket.lastAt + this.rule.windowMs - now;
    }
    // Unreachable with consistent counts; a full window is the safe answer if rounding bites.
    return this.rule.windowMs;
  }
}
