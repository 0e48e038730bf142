import type {
  RateLimitDecision,
  RateLimiter,
  RateLimitRequest,
  RateLimitReservation,
  RateLimitRule,
} from '@agent/core';
import { assert, expect, onTestFinished } from 'vitest';
import type { LimiterConformanceContext, LimiterConformanceOptions } from './limiter-conformance-options.js';

/** A minute: long enough that a few ms of real time passing in a shared store stays within precision. */
export const WINDOW_MS = 60_000;

/** A limiter built for the current test, with its clock and the precision to allow per rule. */
export interface Subject {
  limiter: RateLimiter;
  time: LimiterConformanceContext;
  /** How early the implementation may refuse under `rule` (its bucket width). */
  precision(rule: RateLimitRule): number;
}

/** Builds a subject for the current test; what it opened is closed when the test finishes. */
export type Setup = (rules: readonly RateLimitRule[]) => Promise<Subject>;

/** One behaviour every limiter must have; `run` throws (a failed `expect`) when it does not. */
export interface ConformanceCheck {
  /** A sentence, used as the test name. */
  name: string;
  run(setup: Setup): Promise<void>;
}

/** A titled group of checks, registered as one `describe`. */
export interface ConformanceGroup {
  title: string;
  checks: readonly ConformanceCheck[];
}

/** Turns the adapter's options into a {@link Setup}; call it inside a test (it uses `onTestFinished`). */
export function setupFrom(options: LimiterConformanceOptions): Setup {
  return async (rules) => {
    const created = await options.create(rules);
    // Registered per test so a failing assertion still releases connections and keys.
    if (created.close) onTestFinished(() => created.close?.());
    return {
      limiter: created.limiter,
      time: created.time,
      precision: (rule) => options.precisionMs?.(rule) ?? 0,
    };
  };
}

/** A rule limiting calls (scope `global` and a one-minute window unless given). */
export function callRule(maxCalls: number, overrides: Partial<RateLimitRule> = {}): RateLimitRule {
  return { name: 'calls', scope: 'global', maxCalls, windowMs: WINDOW_MS, ...overrides };
}

/** A rule limiting tokens (scope `global` and a one-minute window unless given). */
export function tokenRule(maxTokens: number, overrides: Partial<RateLimitRule> = {}): RateLimitRule {
  return { name: 'tokens', scope: 'global', maxTokens, windowMs: WINDOW_MS, ...overrides };
}

/** Asserts the decision admitted the call and returns its reservation. */
export function expectAllowed(decision: RateLimitDecision, what: string): RateLimitReservation {
  if (!decision.allowed) {
    assert.fail(
      `${what}: expected the call to be admitted, but rule "${decision.rule}" refused it ` +
        `(${decision.kind}, retry in ${decision.retryAfterMs} ms)`,
    );
  }
  return decision.reservation;
}

/** What a refusal must say. */
export interface ExpectedRefusal {
  rule: string;
  kind: 'calls' | 'tokens';
  /** Whether the refusal must be permanent; a non-permanent one may omit the flag. */
  permanent?: boolean;
}

/** Asserts the decision refused the call as `expected` and returns the refusal. */
export function expectRefused(
  decision: RateLimitDecision,
  expected: ExpectedRefusal,
  what: string,
): Extract<RateLimitDecision, { allowed: false }> {
  if (decision.allowed) {
    assert.fail(`${what}: expected a refusal by "${expected.rule}", but the call was admitted`);
  }
  expect(decision.rule, `${what}: refusing rule`).toBe(expected.rule);
  expect(decision.kind, `${what}: refusal kind`).toBe(expected.kind);
  expect(decision.permanent ?? false, `${what}: permanent`).toBe(expected.permanent ?? false);
  expect(Number.isFinite(decision.retryAfterMs), `${what}: retryAfterMs is finite`).toBe(true);
  expect(decision.retryAfterMs, `${what}: retryAfterMs`).toBeGreaterThanOrEqual(0);
  return decision;
}

/** Acquires `count` times one after the other and returns how many were admitted. */
export async function admittedOf(
  limiter: RateLimiter,
  count: number,
  request: RateLimitRequest = {},
): Promise<number> {
  let admitted = 0;
  for (let attempt = 0; attempt < count; attempt++) {
    if ((await limiter.acquire(request)).allowed) admitted++;
  }
  return admitted;
}

/** Asserts `retryAfterMs` is `expected` give or take rounding (1 ms) and the implementation's precision. */
export function expectRetryAfter(actual: number, expected: number, precision: number, what: string): void {
  expect(actual, `${what}: retryAfterMs`).toBeGreaterThanOrEqual(expected - 1);
  expect(actual, `${what}: retryAfterMs`).toBeLessThanOrEqual(expected + precision);
}
