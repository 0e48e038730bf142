import type { LanguageModel, ModelRequest } from './language-model.js';

/**
 * How many tokens to reserve with the rate limiter before a call: the model's own
 * `countTokens` (exact for OpenAI, the count API for Anthropic) plus `settings.maxTokens`, the
 * most the answer can add. Without `countTokens`, or when counting fails (it is often a network
 * call, and must never block the model call), `estimate` answers instead. The reservation is
 * reconciled with the real usage after the call.
 */
export function reservationTokens(
  model: LanguageModel,
  estimate: (request: ModelRequest) => number,
): (request: ModelRequest) => number | Promise<number> {
  const countTokens = model.countTokens?.bind(model);
  if (!countTokens) return estimate;
  return async (request) => {
    try {
      return (await countTokens(request)) + Math.max(0, request.settings?.maxTokens ?? 0);
    } catch {
      return estimate(request);
    }
  };
}
