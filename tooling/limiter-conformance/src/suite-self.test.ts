import { describe, expect, it } from 'vitest';
import { FixedWindowRateLimiter } from './__fixtures__/fixed-window-rate-limiter.js';
import { refusesOverMaxCalls, slidesTheWindow } from './checks/window-checks.js';
import { setupFrom } from './harness.js';
import type { LimiterConformanceOptions } from './limiter-conformance-options.js';

// Starts on a window boundary, where a fixed window resets exactly one window after t0.
const fixedWindow: LimiterConformanceOptions = {
  async create(rules) {
    let now = 0;
    const clock = { now: () => now };
    const time = {
      now: clock.now,
      advance: (ms: number) => {
        now += ms;
      },
    };
    return { limiter: new FixedWindowRateLimiter(rules, clock), time };
  },
};

describe('the conformance suite', () => {
  it('fails a fixed-window limiter on the sliding-window check', async () => {
    const check = slidesTheWindow.run(setupFrom(fixedWindow));

    await expect(check).rejects.toThrow(/calls admitted while the later half still counts/);
  });

  it('passes the same fixed-window limiter on the basic maxCalls check, so the failure above is the window', async () => {
    await expect(refusesOverMaxCalls.run(setupFrom(fixedWindow))).resolves.toBeUndefined();
  });
});
