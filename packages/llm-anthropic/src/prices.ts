import type { ModelPrice, PriceTable } from '@agent/core';

// List prices in US dollars per million tokens, as of 2026-03, from
// https://docs.anthropic.com/en/docs/about-claude/pricing. Cache writes are the 5-minute TTL price
// (1.25x input); 1-hour cache writes cost 2x input, so pass `prices` if you use them. Batch and
// long-context (>200K input) prices are not modelled. Keys match by longest prefix (`findPrice`),
// so `claude-3-5-haiku` also prices `claude-3-5-haiku-20241022` and `claude-3-5-haiku-latest`;
// each minor version has its own key because Opus 4.5 costs a third of Opus 4.1.
const opus4: ModelPrice = {
  inputPerMillion: 15,
  outputPerMillion: 75,
  cacheReadPerMillion: 1.5,
  cacheWritePerMillion: 18.75,
};
const opus45: ModelPrice = {
  inputPerMillion: 5,
  outputPerMillion: 25,
  cacheReadPerMillion: 0.5,
  cacheWritePerMillion: 6.25,
};
const sonnet: ModelPrice = {
  inputPerMillion: 3,
  outputPerMillion: 15,
  cacheReadPerMillion: 0.3,
  cacheWritePerMillion: 3.75,
};
const haiku45: ModelPrice = {
  inputPerMillion: 1,
  outputPerMillion: 5,
  cacheReadPerMillion: 0.1,
  cacheWritePerMillion: 1.25,
};
const haiku35: ModelPrice = {
  inputPerMillion: 0.8,
  outputPerMillion: 4,
  cacheReadPerMillion: 0.08,
  cacheWritePerMillion: 1,
};
const haiku3: ModelPrice = {
  inputPerMillion: 0.25,
  outputPerMillion: 1.25,
  cacheReadPerMillion: 0.03,
  cacheWritePerMillion: 0.3,
};

/**
 * The prices `createAnthropic()` knows without configuration: Claude 3 Haiku to Opus 4.6, list
 * prices as of 2026-03 with 5-minute cache writes. Models missing here get no `costUsd`; add them
 * (or correct a price) with the `prices` option, which is merged over this table.
 */
export const anthropicPrices: PriceTable = Object.freeze({
  // `claude-opus-4-0` and the dated `claude-opus-4-20250514`; a bare `claude-opus-4` key would
  // also prefix, and misprice, every later Opus 4.x.
  'claude-opus-4-0': opus4,
  'claude-opus-4-2025': opus4,
  'claude-opus-4-1': opus4,
  'claude-opus-4-5': opus45,
  'claude-opus-4-6': opus45,
  'claude-sonnet-4-0': sonnet,
  'claude-sonnet-4-2025': sonnet,
  'claude-sonnet-4-5': sonnet,
  'claude-sonnet-4-6': sonnet,
  'claude-3-7-sonnet': sonnet,
  'claude-3-5-sonnet': sonnet,
  'claude-haiku-4-5': haiku45,
  'claude-3-5-haiku': haiku35,
  'claude-3-haiku': haiku3,
  'claude-3-opus': opus4,
});
