export { PostgresEventStore } from './postgres-event-store.js';
export type {
  PostgresEventStoreCommonOptions,
  PostgresEventStoreOptions,
  PostgresRetentionOptions,
} from './postgres-event-store-options.js';
