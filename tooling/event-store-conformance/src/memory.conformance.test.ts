import { MemoryEventStore } from '@agent/core';
import { describeEventStore } from './describe-event-store.js';

// The reference implementation: the suite is written against its behaviour, so it must pass all of it.
describeEventStore('MemoryEventStore', ({ clock }) => new MemoryEventStore({ clock }));
