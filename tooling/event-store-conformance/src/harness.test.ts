import { AgentError, type EventStore, MemoryEventStore, ValidationError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import {
  cursorOf,
  expectAgentError,
  expectSameEvents,
  firstDifference,
  listAllPages,
  newestFirstIds,
  setupFrom,
  summaryOf,
} from './harness.js';
import { createManualClock, SUITE_START } from './manual-clock.js';
import { RunEvents } from './run-events.js';

describe('expectAgentError', () => {
  it('returns the error when the call rejects with the expected code', async () => {
    const error = await expectAgentError(
      async () => {
        throw new ValidationError('bad');
      },
      'VALIDATION_FAILED',
      'call',
    );

    expect(error.message).toBe('bad');
  });

  it('fails a call that throws synchronously instead of rejecting', async () => {
    const call = () => {
      throw new ValidationError('bad');
    };

    await expect(expectAgentError(call, 'VALIDATION_FAILED', 'append')).rejects.toThrow(
      'append: threw synchronously (ValidationError: bad); it must return a rejected promise',
    );
  });

  it('fails a call that resolves', async () => {
    await expect(expectAgentError(async () => 1, 'INTERNAL', 'prune')).rejects.toThrow(
      'prune: expected a rejection with code INTERNAL, but it resolved',
    );
  });

  it('fails a rejection that is not an AgentError, naming what it was', async () => {
    await expect(
      expectAgentError(() => Promise.reject(new TypeError('nope')), 'INTERNAL', 'getRun'),
    ).rejects.toThrow('getRun: expected an AgentError with code INTERNAL, got TypeError: nope');
    await expect(expectAgentError(() => Promise.reject('text'), 'INTERNAL', 'getRun')).rejects.toThrow(
      'got text',
    );
  });

  it('fails an AgentError with another code, naming both', async () => {
    const call = () => Promise.reject(new AgentError('INTERNAL', 'closed'));

    await expect(expectAgentError(call, 'VALIDATION_FAILED', 'listRuns')).rejects.toThrow(
      'listRuns: expected code VALIDATION_FAILED, got INTERNAL ("closed")',
    );
  });
});

describe('paging helpers', () => {
  /** A store whose listRuns always claims there is another page. */
  const endless = {
    listRuns: async () => ({ runs: [], nextCursor: 'again' }),
  } as unknown as EventStore;

  it('stops a cursor that never ends after maxPages pages', async () => {
    await expect(listAllPages(endless, {}, 3)).rejects.toThrow(
      'listRuns still returned a nextCursor after 3 pages; the cursor does not advance',
    );
  });

  it('fails when a page expected to continue has no cursor', () => {
    expect(() => cursorOf({ runs: [] }, 'page 1')).toThrow(
      'page 1: expected a nextCursor, the page has none',
    );
    expect(cursorOf({ runs: [], nextCursor: 'abc' }, 'page 1')).toBe('abc');
  });

  it('orders runs newest first, ties by runId descending, keeping equal entries', () => {
    const runs = [
      { runId: 'b', startedAt: 1 },
      { runId: 'a', startedAt: 1 },
      { runId: 'c', startedAt: 2 },
      { runId: 'b', startedAt: 1 },
    ];

    expect(newestFirstIds(runs)).toEqual(['c', 'b', 'b', 'a']);
  });
});

describe('expectSameEvents', () => {
  const run = new RunEvents('run-1');
  const events = [run.started(), run.toolSucceeded({ body: 'x'.repeat(100), rows: [1, 2] })];

  it('accepts equal events whatever their key order', () => {
    const reordered = events.map((event) =>
      Object.fromEntries(Object.entries(event).reverse()),
    ) as typeof events;

    expect(() => expectSameEvents(reordered, events, 'read')).not.toThrow();
  });

  it('names the seqs when the counts differ', () => {
    expect(() => expectSameEvents(events.slice(0, 1), events, 'read')).toThrow(
      'read: expected 2 events (seqs 0, 1), got 1 (seqs 0)',
    );
  });

  it('names the first differing path with a short preview of long strings', () => {
    const changed = [
      events[0],
      { ...events[1], output: { body: 'y'.repeat(100), rows: [1, 2] } },
    ] as typeof events;

    expect(() => expectSameEvents(changed, events, 'read')).toThrow(
      /read: event 1 \(seq 1\) differs at output\.body: expected a string of length 100 starting "x+", got a string of length 100/,
    );
  });

  it('reports arrays of other lengths and values that are not JSON', () => {
    expect(firstDifference({ rows: [1] }, { rows: [1, 2] }, '')).toBe('at rows: expected 2 items, got 1');
    expect(firstDifference([1, 3], [1, 2], 'list')).toBe('at list[1]: expected 2, got 3');
    expect(firstDifference(undefined, { a: 1 }, '')).toBe(
      'at the top level: expected {"a":1}, got undefined',
    );
    expect(firstDifference('a', { long: 'z'.repeat(100) }, '')).toMatch(/expected \{"long":"z+…, got "a"/);
    expect(firstDifference({ a: [1] }, { a: [1] }, '')).toBeUndefined();
  });
});

describe('setupFrom', () => {
  const log: string[] = [];

  it('opens stores at fresh locations and reopens the location of a given store', async () => {
    const setup = setupFrom(
      ({ location }) => {
        log.push(`open ${location}`);
        const store = new MemoryEventStore();
        const close = store.close.bind(store);
        store.close = () => {
          log.push(`close ${location}`);
          return close();
        };
        return store;
      },
      { cleanup: (location) => void log.push(`cleanup ${location}`) },
    );

    const first = await setup.open();
    await setup.open();
    await setup.reopen(first);

    expect(() => setup.reopen(new MemoryEventStore())).toThrow(
      'reopen() takes a store opened by this setup.',
    );
    const locations = log.map((line) => line.split(' ')[1]);
    expect(locations[0]).toMatch(/^evs_[0-9a-f]{8}_\d+$/);
    expect(locations[1]).not.toBe(locations[0]);
    expect(locations[2]).toBe(locations[0]);
  });

  it('closed every store of the previous test and then cleaned each location once', () => {
    const [a, b] = log.slice(0, 2).map((line) => line.split(' ')[1]);

    expect(log.slice(3)).toEqual([`close ${a}`, `close ${b}`, `close ${a}`, `cleanup ${a}`, `cleanup ${b}`]);
  });

  it('fails summaryOf for a run the store does not have', async () => {
    await expect(summaryOf(new MemoryEventStore(), 'run-9')).rejects.toThrow(
      'getRun("run-9") returned undefined; the run was not stored',
    );
  });
});

describe('createManualClock', () => {
  it('starts at SUITE_START and moves only forward', () => {
    const clock = createManualClock();

    clock.advance(250);

    expect(clock.now()).toBe(SUITE_START + 250);
    expect(() => clock.advance(-1)).toThrow('advance() takes a finite number of ms >= 0, got -1.');
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
  });
});
