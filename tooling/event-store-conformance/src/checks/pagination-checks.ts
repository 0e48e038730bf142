import { expect } from 'vitest';
import {
  appendRuns,
  type ConformanceCheck,
  cursorOf,
  listAllPages,
  newestFirstIds,
  type RunSpec,
} from '../harness.js';
import { SUITE_START } from '../manual-clock.js';

const T = SUITE_START;

/** `count` runs named run-000…, `perStart` of them sharing each start time (ties on purpose). */
function tiedRuns(count: number, perStart: number, extra: Partial<RunSpec> = {}): RunSpec[] {
  return Array.from({ length: count }, (_, index) => ({
    runId: `run-${String(index).padStart(3, '0')}`,
    startedAt: T + Math.floor(index / perStart) * 1_000,
    ...extra,
  }));
}

/** A cursor that loses or repeats runs at a page edge corrupts every export built on it. */
export const pagesVisitEveryRunOnce: ConformanceCheck = {
  name: 'pages through 120 runs 50 at a time, each run exactly once, newest first',
  async run(setup) {
    const store = await setup.open();
    // Threes share a start time, so page edges (after 50 and 100) fall inside ties.
    const runs = tiedRuns(120, 3);
    await appendRuns(store, runs);

    const pages = await listAllPages(store, { limit: 50 }, 10);

    expect(
      pages.map((page) => page.length),
      'page sizes',
    ).toEqual([50, 50, 20]);
    expect(pages.flat(), 'runs of all pages in order').toEqual(newestFirstIds(runs));
  },
};

/** Many runs start in the same millisecond under load; the cursor must order within the tie. */
export const pagesThroughHeavyTies: ConformanceCheck = {
  name: 'pages through 60 runs sharing three start times, 7 at a time, each exactly once',
  async run(setup) {
    const store = await setup.open();
    const runs = tiedRuns(60, 20);
    await appendRuns(store, runs);

    const pages = await listAllPages(store, { limit: 7 }, 20);

    expect(pages.flat(), 'runs of all pages in order').toEqual(newestFirstIds(runs));
    expect(pages, 'pages').toHaveLength(9);
  },
};

/** The cursor carries position only; the filters are re-applied on every page. */
export const pagesWithFilters: ConformanceCheck = {
  name: 'pages through a filtered list with the same filters on every page',
  async run(setup) {
    const store = await setup.open();
    const runs = tiedRuns(30, 3).map((run, index) => ({
      ...run,
      tenant: index % 2 === 0 ? 'acme' : 'globex',
    }));
    await appendRuns(store, runs);

    const pages = await listAllPages(store, { tenant: 'acme', limit: 4 }, 10);

    expect(pages.map((page) => page.length)).toEqual([4, 4, 4, 3]);
    expect(pages.flat()).toEqual(newestFirstIds(runs.filter((run) => run.tenant === 'acme')));
  },
};

/** "Absent on the last page": a cursor to an empty page makes clients do a useless round trip. */
export const omitsCursorOnLastPage: ConformanceCheck = {
  name: 'omits nextCursor on the last page, also when that page is exactly full',
  async run(setup) {
    const store = await setup.open();
    await appendRuns(store, tiedRuns(10, 1));

    const exact = await store.listRuns({ limit: 10 });
    const first = await store.listRuns({ limit: 5 });
    const second = await store.listRuns({ limit: 5, cursor: cursorOf(first, 'first page') });
    const empty = await store.listRuns({ agent: 'nobody' });

    expect(exact.runs).toHaveLength(10);
    expect(exact.nextCursor).toBeUndefined();
    expect(first.nextCursor).toBeDefined();
    expect(second.runs).toHaveLength(5);
    expect(second.nextCursor).toBeUndefined();
    expect(empty).toEqual({ runs: [] });
  },
};

/** New runs arrive while someone pages; a position-based cursor keeps pages from shifting. */
export const pagesStayStableWhileRunsArrive: ConformanceCheck = {
  name: 'keeps paging stable while runs are added: no run twice, none skipped, newer ones not mixed in',
  async run(setup) {
    const store = await setup.open();
    const runs = tiedRuns(12, 2);
    await appendRuns(store, runs);
    const first = await store.listRuns({ limit: 5 });

    const older = { runId: 'run-older', startedAt: T - 1_000 };
    await appendRuns(store, [{ runId: 'run-newer', startedAt: T + 60_000 }, older]);
    const rest = await store.listRuns({ limit: 100, cursor: cursorOf(first, 'first page') });

    expect(
      [...first.runs, ...rest.runs].map((run) => run.runId),
      'runs of both pages in order',
    ).toEqual(newestFirstIds([...runs, older]));
  },
};

/** Retention may delete the run a cursor points at between two page requests. */
export const cursorSurvivesDeletion: ConformanceCheck = {
  name: 'continues from a cursor whose run has since been pruned',
  async run(setup) {
    const store = await setup.open();
    // run-003 (where the first page ends) and run-005 ended long ago; the others still run.
    const runs = tiedRuns(8, 1).map((run, index) =>
      index === 3 || index === 5 ? { ...run, endedAt: run.startedAt + 10 } : run,
    );
    await appendRuns(store, runs);
    const first = await store.listRuns({ limit: 5 });
    setup.clock.advance(3_600_000);

    const deleted = await store.prune({ maxAgeMs: 60_000 });
    const rest = await store.listRuns({ limit: 5, cursor: cursorOf(first, 'first page') });

    expect(deleted).toBe(2);
    expect(first.runs.map((run) => run.runId)).toEqual([
      'run-007',
      'run-006',
      'run-005',
      'run-004',
      'run-003',
    ]);
    expect(rest.runs.map((run) => run.runId)).toEqual(['run-002', 'run-001', 'run-000']);
    expect(rest.nextCursor).toBeUndefined();
  },
};

/** The pagination checks, in order. */
export const paginationChecks: readonly ConformanceCheck[] = [
  pagesVisitEveryRunOnce,
  pagesThroughHeavyTies,
  pagesWithFilters,
  omitsCursorOnLastPage,
  pagesStayStableWhileRunsArrive,
  cursorSurvivesDeletion,
];
