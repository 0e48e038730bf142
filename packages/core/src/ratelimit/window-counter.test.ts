import { describe, expect, it } from 'vitest';
import type { RateLimitRule } from './rate-limiter.js';
import { WindowCounter } from './window-counter.js';

const rule: RateLimitRule = { name: 'rule', scope: 'global', maxCalls: 3, maxTokens: 100, windowMs: 1000 };

describe('WindowCounter', () => {
  it('refuses a call once maxCalls calls are in the window', () => {
    const counter = new WindowCounter(rule, 10);
    for (const time of [0, 100, 200]) counter.record(0, time);

    expect(counter.refusal(0, 300)).toEqual({
      allowed: false,
      retryAfterMs: 700,
      rule: 'rule',
      kind: 'calls',
    });
  });

  it('refuses a call whose tokens do not fit, with the time until enough of them leave', () => {
    const counter = new WindowCounter(rule, 10);
    counter.record(40, 0);
    counter.record(40, 500);

    expect(counter.refusal(30, 600)).toEqual({
      allowed: false,
      retryAfterMs: 400,
      rule: 'rule',
      kind: 'tokens',
    });
  });

  it('admits a call that fits', () => {
    const counter = new WindowCounter(rule, 10);
    counter.record(50, 0);

    expect(counter.refusal(50, 1)).toBeUndefined();
  });

  it('puts calls in the same slice of time into one bucket', () => {
    const counter = new WindowCounter(rule, 10);

    const first = counter.record(1, 20);
    const second = counter.record(1, 29);

    expect(second).toBe(first);
    expect(first).toEqual({ index: 2, calls: 2, tokens: 2, lastAt: 29 });
  });

  it('becomes idle when its last bucket leaves the window', () => {
    const counter = new WindowCounter(rule, 10);
    counter.record(1, 5);

    counter.prune(1004);
    const idleBefore = counter.idle;
    counter.prune(1005);

    expect(idleBefore).toBe(false);
    expect(counter.idle).toBe(true);
  });

  it('adjusts the tokens of a bucket still in the window', () => {
    const counter = new WindowCounter(rule, 10);
    const bucket = counter.record(90, 0);

    const adjusted = counter.adjust(bucket, -80, 500);

    expect(adjusted).toBe(true);
    expect(counter.refusal(90, 500)).toBeUndefined();
  });

  it('does not adjust a bucket that has left the window', () => {
    const counter = new WindowCounter(rule, 10);
    const old = counter.record(10, 0);
    counter.record(10, 900);

    const adjusted = counter.adjust(old, 500, 1000);

    expect(adjusted).toBe(false);
    expect(old.tokens).toBe(10);
  });
});
