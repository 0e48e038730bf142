import type { AnyTool, ToolContext } from '@agent/core';

// zod is not a dependency of this package, so these tools carry a minimal schema that accepts any
// object: what the runtime reads from a tool's input schema is `safeParse`.
const anyObject = {
  safeParse: (value: unknown) =>
    typeof value === 'object' && value !== null
      ? { success: true, data: value }
      : { success: false, error: { issues: [{ path: [], message: 'expected an object' }] } },
} as unknown as AnyTool['input'];

/** A tool for tests: any object in, whatever `execute` returns (or throws) out. */
export function testTool(
  name: string,
  execute: (input: Record<string, unknown>, context: ToolContext) => unknown,
): AnyTool {
  return {
    name,
    description: `Test tool ${name}.`,
    input: anyObject,
    output: undefined,
    version: undefined,
    deprecated: undefined,
    timeoutMs: undefined,
    inputJsonSchema: { type: 'object' },
    execute: (input, context) => execute(input as Record<string, unknown>, context),
  };
}

/** Echoes `text`. */
export const echoTool = testTool('echo', (input) => String(input.text));

/** Always throws: a `TOOL_FAILED` outcome. */
export const brokenTool = testTool('broken', () => {
  throw new Error('disk on fire');
});
