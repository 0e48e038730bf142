/**
 * Default histogram buckets, in seconds. LLM calls take from tens of milliseconds (a cached or
 * tiny completion) to minutes (long reasoning or generation); tools from milliseconds (in-process
 * work) to a minute (the default tool timeout); whole runs add several of both.
 */
export const DEFAULT_BUCKETS = {
  /** `agent_llm_request_duration_seconds`: 0.05 s to 2 min. */
  llm: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120],
  /** `agent_tool_duration_seconds`: 5 ms to 1 min. */
  tool: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  /** `agent_run_duration_seconds`: 0.1 s to 10 min. */
  run: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
} as const satisfies Record<string, readonly number[]>;

/** Histogram buckets per metric family; each list in seconds, ascending. */
export interface AgentMetricsBuckets {
  /** @default DEFAULT_BUCKETS.llm */
  llm?: readonly number[];
  /** @default DEFAULT_BUCKETS.tool */
  tool?: readonly number[];
  /** @default DEFAULT_BUCKETS.run */
  run?: readonly number[];
}
