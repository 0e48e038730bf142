import { describe, it } from 'vitest';
import { conformanceGroups } from './checks/conformance-groups.js';
import { setupFrom } from './harness.js';
import type { LimiterConformanceOptions } from './limiter-conformance-options.js';

/**
 * Registers the `RateLimiter` conformance suite (vitest `describe`/`it`) for one implementation:
 * window edges, the sliding window, `retryAfterMs`, several rules at once, tokens and `reconcile`,
 * scope isolation, concurrency, idle keys and rule validation. Time moves only through the
 * factory's `advance`, so the suite is deterministic and never sleeps.
 *
 * @example
 * ```ts
 * describeRateLimiter('memory', {
 *   async create(rules) {
 *     let now = 0;
 *     const limiter = new MemoryRateLimiter({ rules, clock: { now: () => now } });
 *     return { limiter, time: { now: () => now, advance: (ms) => void (now += ms) } };
 *   },
 *   precisionMs: (rule) => rule.windowMs / 100,
 * });
 * ```
 */
export function describeRateLimiter(name: string, options: LimiterConformanceOptions): void {
  describe(`${name} RateLimiter conformance`, () => {
    for (const group of conformanceGroups) {
      describe(group.title, () => {
        for (const check of group.checks) {
          it(check.name, () => check.run(setupFrom(options)));
        }
      });
    }
  });
}
