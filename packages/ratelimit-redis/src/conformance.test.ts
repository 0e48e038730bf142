import { describeRateLimiter } from '@agent/limiter-conformance';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { REDIS_URL, uniquePrefix } from './__fixtures__/redis-server.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

// One connection for the whole suite; each test gets its own key prefix and virtual clock.
const redis = new Redis(REDIS_URL);
afterAll(async () => {
  await redis.quit();
});

describeRateLimiter('redis', {
  async create(rules) {
    let offsetMs = 0;
    const limiter = new RedisRateLimiter({
      redis,
      rules,
      keyPrefix: uniquePrefix('conformance'),
      failurePolicy: 'closed',
      timeOffsetMs: () => offsetMs,
    });
    return {
      limiter,
      time: {
        // Redis runs on this host, so its TIME and Date.now agree to well under a bucket.
        now: () => Date.now() + offsetMs,
        advance: (ms) => {
          offsetMs += ms;
        },
      },
    };
  },
  precisionMs: (rule) => rule.windowMs / 100,
});
