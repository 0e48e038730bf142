/** The value a label takes once its cap of distinct values is reached. */
export const OTHER_LABEL_VALUE = 'other';

/**
 * Maps a label's values so the label never has more than `maxValues` of them: the first
 * `maxValues` distinct values pass through, every later new value becomes `"other"`. Each
 * Prometheus series costs memory in this process and in Prometheus, so a label fed by names that
 * callers control (agents, models, tools) must not grow without bound.
 *
 * @example
 * ```ts
 * const agentLabel = createLabelGuard(100);
 * counter.inc({ agent: agentLabel(event.agent) });
 * ```
 */
export function createLabelGuard(maxValues: number): (value: string) => string {
  const admitted = new Set<string>();
  return (value) => {
    if (admitted.has(value)) return value;
    if (admitted.size >= maxValues) return OTHER_LABEL_VALUE;
    admitted.add(value);
    return value;
  };
}
