import type { Clock, EventStore } from '@agent/core';

/** The clock the suite hands to each store: it starts at a fixed time and moves only when the suite says. */
export interface ConformanceClock extends Clock {
  /** Moves time forward by `ms`. */
  advance(ms: number): void;
}

/** What the suite passes to the factory each time it needs a store. */
export interface EventStoreFactoryContext {
  /**
   * The store's source of "now" (for `prune({ maxAgeMs })`): pass it to the store. Shared by
   * every store opened within one test, so a reopened store sees the same time.
   */
  clock: ConformanceClock;
  /**
   * Where the store keeps its data: a name unique to this store, made of lowercase letters,
   * digits and underscores (at most 40 characters, starting with a letter), so it can name a file,
   * a schema or a key prefix. A fresh location must open an empty store; the suite passes the same
   * location again only to check persistence (see {@link EventStoreConformanceOptions.persistent}).
   */
  location: string;
}

/**
 * Builds the store under test. Called at least once per check; each call with a new `location`
 * must return an empty, isolated store. The suite closes every store it gets.
 */
export type EventStoreFactory = (context: EventStoreFactoryContext) => EventStore | Promise<EventStore>;

/** How {@link describeEventStore} treats the implementation beyond the core contract. */
export interface EventStoreConformanceOptions {
  /**
   * Whether the store keeps its data across `close()`: when true, the suite closes a store and
   * calls the factory again with the same `location`, and expects every event, summary and
   * sequence position back. Leave it off for in-process stores; those checks are then skipped.
   * @default false
   */
  persistent?: boolean;
  /**
   * Removes what the store left at `location` (a temp file, a schema). Called once per location
   * after the test, once its stores are closed, also when the test failed.
   * @default nothing is removed
   */
  cleanup?(location: string): void | Promise<void>;
}
