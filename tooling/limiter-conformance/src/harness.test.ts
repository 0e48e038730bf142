import type { RateLimitDecision } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { expectAllowed, expectRefused } from './harness.js';

const refused: RateLimitDecision = { allowed: false, retryAfterMs: 250, rule: 'per-tenant', kind: 'calls' };
const admitted: RateLimitDecision = { allowed: true, reservation: { id: 'r1', tokens: 0, at: 0 } };

describe('conformance assertions', () => {
  it('names the refusing rule, kind and wait when a call expected to pass was refused', () => {
    expect(() => expectAllowed(refused, 'call 2')).toThrow(
      'call 2: expected the call to be admitted, but rule "per-tenant" refused it (calls, retry in 250 ms)',
    );
  });

  it('names the expected rule when a call expected to be refused was admitted', () => {
    expect(() => expectRefused(admitted, { rule: 'per-tenant', kind: 'calls' }, 'call 3')).toThrow(
      'call 3: expected a refusal by "per-tenant", but the call was admitted',
    );
  });

  it('fails a refusal that is permanent when a temporary one was expected', () => {
    const permanent: RateLimitDecision = { ...refused, permanent: true };

    expect(() => expectRefused(permanent, { rule: 'per-tenant', kind: 'calls' }, 'call 4')).toThrow(
      /call 4: permanent/,
    );
  });

  it('returns the reservation of an admitted call', () => {
    expect(expectAllowed(admitted, 'call 1')).toEqual({ id: 'r1', tokens: 0, at: 0 });
  });
});
