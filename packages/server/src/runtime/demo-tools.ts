import { type AnyTool, defineTool } from '@agent/core';
import { z } from 'zod';

/**
 * The demo tool `word_count`, which the built-in demo model calls when asked to count words. The
 * real built-ins (`current_time`, `calculator`, `http_fetch`, ...) come from `@agent/tools`.
 *
 * @example
 * ```ts
 * const [wordCount] = createDemoTools();
 * ```
 */
export function createDemoTools(): AnyTool[] {
  const wordCount = defineTool({
    name: 'word_count',
    description: 'Counts the words and characters of a text.',
    input: z.object({ text: z.string().describe('The text to count') }),
    execute: ({ text }) => {
      const trimmed = text.trim();
      return { words: trimmed === '' ? 0 : trimmed.split(/\s+/).length, characters: text.length };
    },
  });
  return [wordCount];
}
