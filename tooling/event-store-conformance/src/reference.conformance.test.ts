import { eraseLocation, FlawedEventStore } from './__fixtures__/flawed-event-store.js';
import { describeEventStore } from './describe-event-store.js';

// A second, independently written store (the self-test's fixture, without a flaw) passes the whole
// suite, persistence included: the checks hold any correct store, not just MemoryEventStore.
describeEventStore(
  'FlawedEventStore without a flaw',
  ({ clock, location }) => new FlawedEventStore('none', clock, location),
  {
    persistent: true,
    cleanup: eraseLocation,
  },
);
