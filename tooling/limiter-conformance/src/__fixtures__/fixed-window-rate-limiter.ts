import type { Clock, RateLimitDecision, RateLimiter, RateLimitRule } from '@agent/core';

/**
 * A deliberately wrong limiter for the suite's self-test: a fixed window that resets its counts
 * at every multiple of `windowMs`, so it can admit twice `maxCalls` across a window edge. Global
 * `maxCalls` rules only; it is what the sliding-window check must catch.
 */
export class FixedWindowRateLimiter implements RateLimiter {
  private readonly counts = new Map<string, { windowIndex: number; calls: number }>();

  constructor(
    private readonly rules: readonly RateLimitRule[],
    private readonly clock: Clock,
  ) {}

  async acquire(): Promise<RateLimitDecision> {
    const now = this.clock.now();
    for (const rule of this.rules) {
      const windowIndex = Math.floor(now / rule.windowMs);
      const count = this.countOf(rule, windowIndex);
      if (rule.maxCalls !== undefined && count.calls >= rule.maxCalls) {
        const retryAfterMs = (windowIndex + 1) * rule.windowMs - now;
        return { allowed: false, retryAfterMs, rule: rule.name, kind: 'calls' };
      }
    }
    for (const rule of this.rules) this.countOf(rule, Math.floor(now / rule.windowMs)).calls++;
    return { allowed: true, reservation: { id: String(now), tokens: 0, at: now } };
  }

  async reconcile(): Promise<void> {}

  private countOf(rule: RateLimitRule, windowIndex: number) {
    let count = this.counts.get(rule.name);
    if (count === undefined || count.windowIndex !== windowIndex) {
      count = { windowIndex, calls: 0 };
      this.counts.set(rule.name, count);
    }
    return count;
  }
}
