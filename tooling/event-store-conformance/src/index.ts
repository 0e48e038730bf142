export { describeEventStore } from './describe-event-store.js';
export type {
  ConformanceClock,
  EventStoreConformanceOptions,
  EventStoreFactory,
  EventStoreFactoryContext,
} from './event-store-conformance-options.js';
export { createManualClock, SUITE_START } from './manual-clock.js';
export type { RunEventsOptions } from './run-events.js';
export { RunEvents } from './run-events.js';
