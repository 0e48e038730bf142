export { SqliteEventStore } from './sqlite-event-store.js';
export type { SqliteEventStoreOptions, SqliteRetentionOptions } from './sqlite-event-store-options.js';
