/** One long-term memory item. */
export interface MemoryItem {
  id: string;
  /** Groups items, e.g. a user or tenant id. Searches never cross namespaces. */
  namespace: string;
  content: string;
  metadata?: Record<string, unknown>;
  /** When it was added (ms). */
  createdAt: number;
}

/** A search hit with its relevance score (higher is better, implementation-defined scale). */
export interface MemorySearchResult {
  item: MemoryItem;
  score: number;
}

/**
 * Long-term memory: facts an agent can store and find again across conversations. The in-memory
 * implementation is bounded; vector stores implement the same interface at the edge.
 */
export interface MemoryStore {
  /** Stores an item; resolves to it, with its id. */
  add(input: { namespace: string; content: string; metadata?: Record<string, unknown> }): Promise<MemoryItem>;
  /** The best matches for `query` in a namespace, best first. */
  search(namespace: string, query: string, options?: { limit?: number }): Promise<MemorySearchResult[]>;
  /**
   * Deletes one item of a namespace; resolves to whether it existed there. Scoped by namespace so
   * a caller who learns another tenant's item id still cannot delete it.
   */
  delete(namespace: string, id: string): Promise<boolean>;
  /** Deletes every item of a namespace; resolves to how many there were. */
  clear(namespace: string): Promise<number>;
}
