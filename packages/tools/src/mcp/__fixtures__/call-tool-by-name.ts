import type { AnyTool, ToolContext } from '@agent/core';
import { testToolContext } from '@agent/core/testing';

/** What the helpers need of an `McpToolSet`: its current tools. */
interface HasTools {
  readonly tools: readonly AnyTool[];
}

/** The tool named `name` in the set; throws, listing the names there are, when it is missing. */
export function toolNamed(set: HasTools, name: string): AnyTool {
  const tool = set.tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name} in ${set.tools.map((each) => each.name).join(', ')}`);
  return tool;
}

/**
 * Calls the set's tool `name` directly (no agent loop: no validation, no core timeout) with a
 * fresh test context. A missing tool rejects, as a failed call does.
 */
export async function callToolByName(
  set: HasTools,
  name: string,
  args: Record<string, unknown> = {},
  context: ToolContext = testToolContext(),
): Promise<unknown> {
  return await toolNamed(set, name).execute(args, context);
}
