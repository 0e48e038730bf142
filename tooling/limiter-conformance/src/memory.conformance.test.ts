import { MemoryRateLimiter } from '@agent/core';
import { describeRateLimiter } from './describe-rate-limiter.js';

// Starts mid-bucket and mid-window on purpose, so no check passes only because t0 is aligned.
const START = Date.UTC(2026, 0, 1) + 12_345;

describeRateLimiter('MemoryRateLimiter', {
  async create(rules) {
    let now = START;
    const limiter = new MemoryRateLimiter({ rules, clock: { now: () => now } });
    const time = {
      now: () => now,
      advance: (ms: number) => {
        now += ms;
      },
    };
    return { limiter, time };
  },
  // One bucket of the default resolution (100 per window).
  precisionMs: (rule) => rule.windowMs / 100,
});
