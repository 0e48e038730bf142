import { describe, expect, it } from 'vitest';
import { addUsage } from './language-model.js';
import { costOf, findPrice } from './pricing.js';

describe('costOf', () => {
  it('bills uncached input, cached reads and writes and output at their own prices', () => {
    const cost = costOf(
      {
        inputTokens: 1_000_000,
        outputTokens: 1_000_000,
        cacheReadTokens: 400_000,
        cacheWriteTokens: 100_000,
      },
      { inputPerMillion: 3, outputPerMillion: 15, cacheReadPerMillion: 0.3, cacheWritePerMillion: 3.75 },
    );

    expect(cost).toBeCloseTo(0.5 * 3 + 0.4 * 0.3 + 0.1 * 3.75 + 15, 10);
  });

  it('bills cached tokens at the input price when no cache price is given', () => {
    expect(
      costOf(
        { inputTokens: 1000, outputTokens: 0, cacheReadTokens: 1000 },
        { inputPerMillion: 2, outputPerMillion: 8 },
      ),
    ).toBeCloseTo(0.002, 10);
  });

  it('never bills negative uncached input when a provider reports more cached than total', () => {
    expect(
      costOf(
        { inputTokens: 10, outputTokens: 0, cacheReadTokens: 50 },
        { inputPerMillion: 1, outputPerMillion: 1, cacheReadPerMillion: 0 },
      ),
    ).toBe(0);
  });
});

describe('findPrice', () => {
  const table = {
    'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
    'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  };

  it('prefers an exact match, then the longest prefix, else undefined', () => {
    expect(findPrice(table, 'gpt-4o')).toBe(table['gpt-4o']);
    expect(findPrice(table, 'gpt-4o-mini-2024-07-18')).toBe(table['gpt-4o-mini']);
    expect(findPrice(table, 'llama3')).toBeUndefined();
  });
});

describe('addUsage', () => {
  it('sums cost when either side has one', () => {
    const total = addUsage(
      { inputTokens: 1, outputTokens: 1 },
      { inputTokens: 2, outputTokens: 3, costUsd: 0.5 },
    );

    expect(addUsage(total, { inputTokens: 0, outputTokens: 0, costUsd: 0.25 })).toEqual({
      inputTokens: 3,
      outputTokens: 4,
      costUsd: 0.75,
    });
  });
});
