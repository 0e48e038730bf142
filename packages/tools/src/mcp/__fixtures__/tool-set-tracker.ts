import type { McpToolsOptions } from '../mcp-client-options.js';
import { type McpToolSet, mcpTools } from '../mcp-tools.js';

/** Opens MCP tool sets for a test file and closes them, so no connection or child outlives a test. */
export interface ToolSetTracker {
  /** `mcpTools(options)`, remembered for {@link ToolSetTracker.closeAll}. */
  open(options: McpToolsOptions): Promise<McpToolSet>;
  /** Closes every set opened since the last call; for `afterEach`. */
  closeAll(): Promise<void>;
}

/** A {@link ToolSetTracker}: one per test file, `closeAll()` in its `afterEach`. */
export function trackToolSets(): ToolSetTracker {
  const sets: McpToolSet[] = [];
  return {
    async open(options) {
      const set = await mcpTools(options);
      sets.push(set);
      return set;
    },
    async closeAll() {
      await Promise.all(sets.splice(0).map((set) => set.close()));
    },
  };
}
