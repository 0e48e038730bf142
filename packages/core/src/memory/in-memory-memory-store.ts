import { ConfigError, ValidationError } from '../errors/errors.js';
import { type Clock, type IdGenerator, randomId, systemClock } from '../util/clock.js';
import type { MemoryItem, MemorySearchResult, MemoryStore } from './memory-store.js';

/** Options of {@link InMemoryMemoryStore}. */
export interface InMemoryMemoryStoreOptions {
  /** Most items per namespace; adding one more forgets the oldest. @default 1000 */
  maxItemsPerNamespace?: number;
  /** Most namespaces held; the least recently used (added to or searched) is forgotten first. @default 10_000 */
  maxNamespaces?: number;
  /** Longest accepted `content`, in characters. @default 10_000 */
  maxContentLength?: number;
  /** Source of `createdAt`. @default systemClock */
  clock?: Clock;
  /** Makes item ids. @default randomId */
  idGenerator?: IdGenerator;
}

/** Most results one search returns; larger limits are clamped to it. */
export const MAX_SEARCH_LIMIT = 100;

interface IndexedItem {
  item: MemoryItem;
  terms: ReadonlySet<string>;
  /** Insertion order, to break ties between items created in the same millisecond. */
  sequence: number;
}

interface Namespace {
  /** Oldest first, so the first entry is the one to evict. */
  items: Map<string, IndexedItem>;
  /** How many items contain each term, for inverse-frequency weights. */
  documentFrequency: Map<string, number>;
}

/**
 * Long-term memory held in this process, with lexical search: bounded per namespace, in namespaces
 * and in content length. Swap in a vector store for semantic search; the interface is the same.
 *
 * @example
 * ```ts
 * const store = new InMemoryMemoryStore();
 * await store.add({ namespace: 'user-42', content: 'Prefers answers in French.' });
 * const [best] = await store.search('user-42', 'which language does the user prefer?');
 * ```
 */
export class InMemoryMemoryStore implements MemoryStore {
  private readonly namespaces = new Map<string, Namespace>();
  private readonly namespaceOfItem = new Map<string, string>();
  private readonly maxItemsPerNamespace: number;
  private readonly maxNamespaces: number;
  private readonly maxContentLength: number;
  private readonly clock: Clock;
  private readonly idGenerator: IdGenerator;
  private sequence = 0;
  private evictedItemCount = 0;
  private evictedNamespaceCount = 0;

  constructor(options: InMemoryMemoryStoreOptions = {}) {
    this.maxItemsPerNamespace = positiveInteger(options.maxItemsPerNamespace, 1000, 'maxItemsPerNamespace');
    this.maxNamespaces = positiveInteger(options.maxNamespaces, 10_000, 'maxNamespaces');
    this.maxContentLength = positiveInteger(options.maxContentLength, 10_000, 'maxContentLength');
    this.clock = options.clock ?? systemClock;
    this.idGenerator = options.idGenerator ?? randomId;
  }

  /** Stores a copy of the item; evicts the namespace's oldest item past `maxItemsPerNamespace`. */
  async add(input: {
    namespace: string;
    content: string;
    metadata?: Record<string, unknown>;
  }): Promise<MemoryItem> {
    validateNamespace(input.namespace);
    if (typeof input.content !== 'string' || input.content.trim() === '') {
      throw new ValidationError(
        'Memory content must be a non-empty string: there is nothing to remember in it.',
      );
    }
    if (input.content.length > this.maxContentLength) {
      throw new ValidationError(
        `Memory content is ${input.content.length} characters, over the limit of ${this.maxContentLength}. Store a shorter fact, or raise maxContentLength.`,
      );
    }
    const id = this.idGenerator();
    if (this.namespaceOfItem.has(id)) {
      throw new ConfigError(
        `The idGenerator returned "${id}", which is already in use. Pass one that makes unique ids.`,
      );
    }
    const item: MemoryItem = {
      id,
      namespace: input.namespace,
      content: input.content,
      ...(input.metadata !== undefined ? { metadata: copyMetadata(input.metadata) } : {}),
      createdAt: this.clock.now(),
    };

    const namespace = this.use(input.namespace) ?? { items: new Map(), documentFrequency: new Map() };
    this.namespaces.set(input.namespace, namespace);
    const terms = new Set(tokenize(item.content));
    for (const term of terms)
      namespace.documentFrequency.set(term, (namespace.documentFrequency.get(term) ?? 0) + 1);
    namespace.items.set(id, { item, terms, sequence: this.sequence++ });
    this.namespaceOfItem.set(id, input.namespace);

    for (const oldestId of namespace.items.keys()) {
      if (namespace.items.size <= this.maxItemsPerNamespace) break;
      this.remove(namespace, oldestId);
      this.evictedItemCount++;
    }
    for (const [name, evicted] of this.namespaces) {
      if (this.namespaces.size <= this.maxNamespaces) break;
      for (const evictedId of evicted.items.keys()) this.namespaceOfItem.delete(evictedId);
      this.namespaces.delete(name);
      this.evictedNamespaceCount++;
    }
    return copyItem(item);
  }

  /**
   * Items of `namespace` sharing words with `query`, scored by the inverse-frequency weight of each
   * matched word (rare words count more), ties broken newest first.
   */
  async search(
    namespace: string,
    query: string,
    options: { limit?: number } = {},
  ): Promise<MemorySearchResult[]> {
    validateNamespace(namespace);
    if (typeof query !== 'string' || query.trim() === '') {
      throw new ValidationError(
        'Memory search query must be a non-empty string: pass the words to look for.',
      );
    }
    const limit = options.limit ?? 5;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new ValidationError(`Memory search limit must be a positive integer, got ${String(limit)}.`);
    }
    const state = this.use(namespace);
    if (!state) return [];

    const weights = new Map<string, number>();
    for (const term of new Set(tokenize(query))) {
      const frequency = state.documentFrequency.get(term);
      if (frequency !== undefined) weights.set(term, Math.log(1 + state.items.size / frequency));
    }
    const hits: { indexed: IndexedItem; score: number }[] = [];
    if (weights.size > 0) {
      for (const indexed of state.items.values()) {
        let score = 0;
        for (const [term, weight] of weights) if (indexed.terms.has(term)) score += weight;
        if (score > 0) hits.push({ indexed, score });
      }
    }
    hits.sort(
      (a, b) =>
        b.score - a.score ||
        b.indexed.item.createdAt - a.indexed.item.createdAt ||
        b.indexed.sequence - a.indexed.sequence,
    );
    return hits
      .slice(0, Math.min(limit, MAX_SEARCH_LIMIT))
      .map(({ indexed, score }) => ({ item: copyItem(indexed.item), score }));
  }

  /** Deletes one item of `namespace` by id; an id from another namespace is not touched. */
  async delete(namespace: string, id: string): Promise<boolean> {
    const name = this.namespaceOfItem.get(id);
    const held = name === namespace ? this.namespaces.get(namespace) : undefined;
    if (!held) return false;
    this.remove(held, id);
    if (held.items.size === 0) this.namespaces.delete(namespace);
    return true;
  }

  /** Deletes every item of a namespace (a user's "forget me"); resolves to how many there were. */
  async clear(namespace: string): Promise<number> {
    const held = this.namespaces.get(namespace);
    if (!held) return 0;
    const count = held.items.size;
    for (const id of held.items.keys()) this.namespaceOfItem.delete(id);
    this.namespaces.delete(namespace);
    return count;
  }

  /** Counts for metrics: what is held, and what the bounds have forgotten. */
  stats(): { namespaces: number; items: number; evictedItems: number; evictedNamespaces: number } {
    return {
      namespaces: this.namespaces.size,
      items: this.namespaceOfItem.size,
      evictedItems: this.evictedItemCount,
      evictedNamespaces: this.evictedNamespaceCount,
    };
  }

  /** The namespace, moved to the recently used end of the LRU order. */
  private use(name: string): Namespace | undefined {
    const namespace = this.namespaces.get(name);
    if (namespace) {
      this.namespaces.delete(name);
      this.namespaces.set(name, namespace);
    }
    return namespace;
  }

  private remove(namespace: Namespace, id: string): void {
    const indexed = namespace.items.get(id) as IndexedItem;
    namespace.items.delete(id);
    this.namespaceOfItem.delete(id);
    for (const term of indexed.terms) {
      const frequency = (namespace.documentFrequency.get(term) as number) - 1;
      if (frequency === 0) namespace.documentFrequency.delete(term);
      else namespace.documentFrequency.set(term, frequency);
    }
  }
}

// Lowercase words of letters and digits in any script; punctuation separates words.
function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function validateNamespace(namespace: string): void {
  if (typeof namespace !== 'string' || namespace === '') {
    throw new ValidationError('Memory namespace must be a non-empty string, e.g. a user or tenant id.');
  }
}

function copyMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  try {
    return structuredClone(metadata);
  } catch (error) {
    throw new ValidationError(
      'Memory metadata must be plain data (no functions or class instances with methods).',
      {
        cause: error,
      },
    );
  }
}

// Copies out, so callers mutating a result cannot change what is stored.
function copyItem(item: MemoryItem): MemoryItem {
  return item.metadata === undefined ? { ...item } : { ...item, metadata: structuredClone(item.metadata) };
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(
      `InMemoryMemoryStore ${name} must be a positive integer, got ${String(value)}. Pass a whole number >= 1, or omit it.`,
    );
  }
  return value;
}
