import { type AnyTool, type Clock, defineTool, systemClock } from '@agent/core';
import { z } from 'zod';

/**
 * The built-in demo tools: enough for the demo model (and a real one) to show tool calls until
 * `@agent/tools` ships the real built-ins.
 *
 * @example
 * ```ts
 * const [currentTime, wordCount] = createDemoTools();
 * ```
 */
export function createDemoTools(options: { clock?: Clock } = {}): AnyTool[] {
  const clock = options.clock ?? systemClock;
  const currentTime = defineTool({
    name: 'current_time',
    description: 'Returns the current date and time (ISO 8601, UTC) and the server timezone.',
    input: z.object({}),
    execute: () => ({
      iso: new Date(clock.now()).toISOString(),
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    }),
  });
  const wordCount = defineTool({
    name: 'word_count',
    description: 'Counts the words and characters of a text.',
    input: z.object({ text: z.string().describe('The text to count') }),
    execute: ({ text }) => {
      const trimmed = text.trim();
      return { words: trimmed === '' ? 0 : trimmed.split(/\s+/).length, characters: text.length };
    },
  });
  return [currentTime, wordCount];
}
