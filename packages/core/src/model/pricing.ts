import type { Usage } from './language-model.js';

/** A model's prices in US dollars per million tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
  /** Price of input tokens read from the prompt cache. @default inputPerMillion */
  cacheReadPerMillion?: number;
  /** Price of input tokens written to the prompt cache. @default inputPerMillion */
  cacheWritePerMillion?: number;
}

/** Prices by model id. Adapters ship a small default table; users override or extend it. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * The cost of one call in US dollars. `inputTokens` counts every input token, cached ones
 * included; cached tokens are billed at the cache prices instead of the input price.
 *
 * @example
 * ```ts
 * costOf({ inputTokens: 1000, outputTokens: 200 }, { inputPerMillion: 0.15, outputPerMillion: 0.6 }); // 0.00027
 * ```
 */
export function costOf(usage: Usage, price: ModelPrice): number {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const uncachedInput = Math.max(0, usage.inputTokens - cacheRead - cacheWrite);
  const dollars =
    uncachedInput * price.inputPerMillion +
    cacheRead * (price.cacheReadPerMillion ?? price.inputPerMillion) +
    cacheWrite * (price.cacheWritePerMillion ?? price.inputPerMillion) +
    usage.outputTokens * price.outputPerMillion;
  return dollars / 1_000_000;
}

/**
 * The price of `modelId` in `table`: an exact match, else the longest key that prefixes it
 * (so `gpt-4o-mini` also prices `gpt-4o-mini-2024-07-18`). `undefined` when unknown.
 */
export function findPrice(table: PriceTable, modelId: string): ModelPrice | undefined {
  const exact = table[modelId];
  if (exact) return exact;
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (modelId.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : table[best];
}
