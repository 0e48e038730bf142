import type { RateLimiter, RateLimitRule } from '@agent/core';

/** How the suite reads and moves the time of one limiter under test. */
export interface LimiterConformanceContext {
  /** Current time in ms of the limiter's clock; the suite moves time only through `advance`. */
  now(): number;
  /**
   * Moves the limiter's clock forward (a manual clock for memory; for Redis, the factory controls
   * how time is read, e.g. an offset added to Redis `TIME`). May be async.
   */
  advance(ms: number): void | Promise<void>;
}

/** One limiter built for one test, with the time control that drives it. */
export interface LimiterUnderTest {
  /** The limiter to check. */
  limiter: RateLimiter;
  /** The time control of `limiter`. */
  time: LimiterConformanceContext;
  /** Releases what `create` opened (connections, keys); called once the test has finished. */
  close?(): Promise<void>;
}

/** How {@link describeRateLimiter} builds the implementation under test. */
export interface LimiterConformanceOptions {
  /**
   * Builds a fresh, isolated limiter with these rules (a unique key prefix per call for shared
   * stores) and the time control to use with it. Called once per test. Must throw or reject with
   * a `ConfigError` (code `CONFIG_INVALID`) for invalid rules, as the limiter constructor does.
   */
  create(rules: readonly RateLimitRule[]): Promise<LimiterUnderTest>;
  /**
   * The implementation's precision: the largest amount by which it may refuse too early (bucket
   * width). The suite never asserts tighter than this.
   * @default 0
   */
  precisionMs?(rule: RateLimitRule): number;
}
