import type { PriceTable } from '@agent/core';

/**
 * OpenAI's list prices (standard tier, US dollars per million tokens) for the models this
 * package knows; `cacheReadPerMillion` is the cached-input price.
 *
 * As of 2025-08, from https://openai.com/api/pricing; they were not re-checked when this package
 * was written (2026-11-21, no network access to the page). Prices change: pass `prices` to
 * `createOpenAI()` to correct or extend them without waiting for a release. Keys are prefixes,
 * so `gpt-4o-mini` also prices `gpt-4o-mini-2024-07-18` (core's `findPrice` picks the longest).
 */
export const defaultOpenAIPrices: PriceTable = Object.freeze({
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10, cacheReadPerMillion: 1.25 },
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6, cacheReadPerMillion: 0.075 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8, cacheReadPerMillion: 0.5 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6, cacheReadPerMillion: 0.1 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4, cacheReadPerMillion: 0.025 },
  'o3-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4, cacheReadPerMillion: 0.55 },
  'o4-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4, cacheReadPerMillion: 0.275 },
});
