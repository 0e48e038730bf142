import type { ConformanceClock } from './event-store-conformance-options.js';

/**
 * The time every check starts at: 1 January 2026, 12:00 UTC. Fixed so a check's expectations
 * never depend on when the suite runs, and recent, so stores that sanity-check timestamps accept it.
 */
export const SUITE_START = Date.UTC(2026, 0, 1, 12);

/** A {@link ConformanceClock} that starts at `start` and only moves through `advance`. */
export function createManualClock(start = SUITE_START): ConformanceClock {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      if (!(Number.isFinite(ms) && ms >= 0)) {
        throw new RangeError(`advance() takes a finite number of ms >= 0, got ${String(ms)}.`);
      }
      now += ms;
    },
  };
}
