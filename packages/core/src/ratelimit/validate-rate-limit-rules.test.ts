import { describe, expect, it } from 'vitest';
import type { RateLimitRule } from './rate-limiter.js';
import { validateRateLimitRules } from './validate-rate-limit-rules.js';

const valid: RateLimitRule = { name: 'per-tenant', scope: 'tenant', maxCalls: 10, windowMs: 60_000 };
const pathsOf = (rules: unknown[]) =>
  validateRateLimitRules(rules as RateLimitRule[], 'agent.yaml').map((issue) => issue.path);

describe('validateRateLimitRules', () => {
  it('reports a missing name', () => {
    expect(pathsOf([{ ...valid, name: '' }])).toEqual(['rules[0].name']);
  });

  it('reports a name used by an earlier rule', () => {
    expect(pathsOf([valid, { ...valid }])).toEqual(['rules[1].name']);
  });

  it.each([0, -1, 1.5, Number.NaN, '1000'])('reports a windowMs of %s', (windowMs) => {
    expect(pathsOf([{ ...valid, windowMs }])).toEqual(['rules[0].windowMs']);
  });

  it('reports a rule that sets neither maxCalls nor maxTokens', () => {
    expect(pathsOf([{ name: 'empty', scope: 'global', windowMs: 1000 }])).toEqual(['rules[0]']);
  });

  it.each(['maxCalls', 'maxTokens'])('reports a %s that is not a positive integer', (limit) => {
    expect(pathsOf([{ ...valid, [limit]: 0 }])).toEqual([`rules[0].${limit}`]);
  });

  it.each([['region'], [['tenant', 'region']], [undefined]])('reports an unknown scope %j', (scope) => {
    expect(pathsOf([{ ...valid, scope }])).toEqual(['rules[0].scope']);
  });

  it('names the file and says how to fix each problem', () => {
    const [issue] = validateRateLimitRules([{ ...valid, maxCalls: -5 }], 'agent.yaml');

    expect(issue).toEqual({
      file: 'agent.yaml',
      path: 'rules[0].maxCalls',
      message: 'must be a positive integer; got -5',
      fix: 'Set maxCalls to 1 or more, or remove it.',
    });
  });

  it('accepts valid rules of every scope shape', () => {
    const rules: RateLimitRule[] = [
      { name: 'global', scope: 'global', maxTokens: 1000, windowMs: 1000 },
      valid,
      { name: 'pair', scope: ['tenant', 'model'], maxCalls: 1, maxTokens: 1, windowMs: 1 },
    ];

    expect(validateRateLimitRules(rules, 'agent.yaml')).toEqual([]);
  });
});
