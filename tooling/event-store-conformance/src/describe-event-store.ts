import { describe, it } from 'vitest';
import { conformanceGroups } from './checks/conformance-groups.js';
import type { EventStoreConformanceOptions, EventStoreFactory } from './event-store-conformance-options.js';
import { setupFrom } from './harness.js';

/**
 * Registers the `EventStore` conformance suite (vitest `describe`/`it`) for one implementation:
 * append order, re-sends and gaps, malformed batches, readRun, summaries, listRuns order, filters
 * and cursor pagination, prune by age and by count, unicode and large payloads, concurrent
 * appends and close; with `persistent: true`, also close-and-reopen. Every check opens fresh
 * stores through `factory` and closes them when it ends; time moves only through the clock the
 * factory is given, so the suite never sleeps.
 *
 * @example
 * ```ts
 * describeEventStore('MemoryEventStore', ({ clock }) => new MemoryEventStore({ clock }));
 *
 * describeEventStore(
 *   'SqliteEventStore',
 *   ({ clock, location }) => new SqliteEventStore({ path: join(dir, `${location}.db`), clock }),
 *   { persistent: true },
 * );
 * ```
 */
export function describeEventStore(
  name: string,
  factory: EventStoreFactory,
  options: EventStoreConformanceOptions = {},
): void {
  describe(`${name} EventStore conformance`, () => {
    for (const group of conformanceGroups) {
      describe(group.title, () => {
        for (const check of group.checks) {
          const unsupported = check.requires === 'persistence' && options.persistent !== true;
          it.skipIf(unsupported)(check.name, () => check.run(setupFrom(factory, options)));
        }
      });
    }
  });
}
