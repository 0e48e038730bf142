import {
  AgentError,
  type AgentErrorCode,
  type AgentEvent,
  type EventStore,
  type ListRunsQuery,
  type RunPage,
  type RunSummary,
} from '@agent/core';
import { assert, onTestFinished } from 'vitest';
import type {
  ConformanceClock,
  EventStoreConformanceOptions,
  EventStoreFactory,
} from './event-store-conformance-options.js';
import { createManualClock } from './manual-clock.js';
import { RunEvents } from './run-events.js';

/** What one check gets: a clock and a way to open (and reopen) stores of the implementation under test. */
export interface Setup {
  /** The clock every store of this check reads. */
  readonly clock: ConformanceClock;
  /** Opens a new, empty store; it is closed, and its location cleaned up, when the test finishes. */
  open(): Promise<EventStore>;
  /** Opens a store again at the location of `previous` (close `previous` first). */
  reopen(previous: EventStore): Promise<EventStore>;
}

/** One behaviour every store must have; `run` throws (a failed assertion) when it does not. */
export interface ConformanceCheck {
  /** A sentence, used as the test name. */
  name: string;
  /** `persistence`: only for stores declared `persistent`; skipped for the others. */
  requires?: 'persistence';
  run(setup: Setup): Promise<void>;
}

/** A titled group of checks, registered as one `describe`. */
export interface ConformanceGroup {
  title: string;
  checks: readonly ConformanceCheck[];
}

let locationCount = 0;

/**
 * Makes the {@link Setup} of one check. Call it inside a test: it registers the teardown that
 * closes the stores it opened (a failing assertion must not leak files or connections) and then
 * runs `options.cleanup` for each location.
 */
export function setupFrom(factory: EventStoreFactory, options: EventStoreConformanceOptions = {}): Setup {
  const clock = createManualClock();
  const opened: EventStore[] = [];
  const locations = new Map<EventStore, string>();
  // A random part keeps locations unique across test files that share one database server.
  const prefix = `evs_${globalThis.crypto.randomUUID().slice(0, 8)}`;
  let tornDown = false;

  const openAt = async (location: string): Promise<EventStore> => {
    if (opened.length === 0) onTestFinished(teardown);
    const store = await factory({ clock, location });
    opened.push(store);
    locations.set(store, location);
    return store;
  };

  async function teardown(): Promise<void> {
    if (tornDown) return;
    tornDown = true;
    const failures: unknown[] = [];
    for (const store of opened) await store.close().catch((error: unknown) => failures.push(error));
    if (options.cleanup) {
      for (const location of new Set(locations.values())) {
        await Promise.resolve()
          .then(() => options.cleanup?.(location))
          .catch((error: unknown) => failures.push(error));
      }
    }
    if (failures.length > 0) throw failures[0];
  }

  return {
    clock,
    open: () => openAt(`${prefix}_${++locationCount}`),
    reopen(previous) {
      const location = locations.get(previous);
      if (location === undefined) throw new Error('reopen() takes a store opened by this setup.');
      return openAt(location);
    },
  };
}

/**
 * Calls `action` and asserts it rejects with an `AgentError` of `code`. A synchronous throw fails
 * too: every `EventStore` method returns a promise, and callers only handle rejections.
 */
export async function expectAgentError(
  action: () => Promise<unknown>,
  code: AgentErrorCode,
  what: string,
): Promise<AgentError> {
  let promise: Promise<unknown>;
  try {
    promise = action();
  } catch (error) {
    return assert.fail(`${what}: threw synchronously (${String(error)}); it must return a rejected promise`);
  }
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  if (error === undefined)
    return assert.fail(`${what}: expected a rejection with code ${code}, but it resolved`);
  if (!AgentError.isInstance(error)) {
    return assert.fail(`${what}: expected an AgentError with code ${code}, got ${describeError(error)}`);
  }
  if (error.code !== code) {
    return assert.fail(`${what}: expected code ${code}, got ${error.code} ("${error.message}")`);
  }
  return error;
}

/**
 * Pages through `listRuns(query)` to the end and returns each page's run ids. Fails after
 * `maxPages` pages, so a cursor that never advances ends the check instead of looping forever.
 */
export async function listAllPages(
  store: EventStore,
  query: Omit<ListRunsQuery, 'cursor'>,
  maxPages: number,
): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    if (pages.length === maxPages) {
      assert.fail(
        `listRuns still returned a nextCursor after ${maxPages} pages; the cursor does not advance`,
      );
    }
    const page = await store.listRuns(cursor === undefined ? query : { ...query, cursor });
    pages.push(page.runs.map((run) => run.runId));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return pages;
}

/** The `nextCursor` of `page`, failing the check when the page says it is the last. */
export function cursorOf(page: RunPage, what: string): string {
  if (page.nextCursor === undefined) return assert.fail(`${what}: expected a nextCursor, the page has none`);
  return page.nextCursor;
}

/** Ids of `runs` in the order the contract defines (startedAt, then runId, descending), computed without any store. */
export function newestFirstIds(runs: readonly { runId: string; startedAt: number }[]): string[] {
  return [...runs]
    .sort((a, b) => b.startedAt - a.startedAt || (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0))
    .map((run) => run.runId);
}

/** The ids of one `listRuns` page. */
export async function listedIds(store: EventStore, query: ListRunsQuery = {}): Promise<string[]> {
  return (await store.listRuns(query)).runs.map((run) => run.runId);
}

/** The seqs of `events`, for compact assertions. */
export const seqsOf = (events: readonly AgentEvent[]): number[] => events.map((event) => event.seq);

/** A run to store with {@link appendRuns}: when it started and, if it ended, how and when. */
export interface RunSpec {
  runId: string;
  startedAt: number;
  endedAt?: number;
  end?: 'completed' | 'failed' | 'cancelled';
  agent?: string;
  tenant?: string;
}

/**
 * Stores each run as `run.started` at `startedAt`, plus a terminal event at `endedAt` when given
 * (`end`, default `completed`). All runs go in one batch, as a busy server's writer would send them.
 */
export async function appendRuns(store: EventStore, runs: readonly RunSpec[]): Promise<void> {
  const events: AgentEvent[] = [];
  for (const spec of runs) {
    const run = new RunEvents(spec.runId, {
      startedAt: spec.startedAt,
      ...(spec.agent !== undefined ? { agent: spec.agent } : {}),
      ...(spec.tenant !== undefined ? { tenant: spec.tenant } : {}),
    });
    events.push(run.started());
    if (spec.endedAt === undefined) continue;
    run.at(spec.endedAt);
    const end = spec.end ?? 'completed';
    events.push(end === 'completed' ? run.completed() : end === 'failed' ? run.failed() : run.cancelled());
  }
  await store.append(events);
}

/** Asserts the store has a summary for `runId` and returns it. */
export async function summaryOf(store: EventStore, runId: string): Promise<RunSummary> {
  const summary = await store.getRun(runId);
  if (summary === undefined)
    return assert.fail(`getRun("${runId}") returned undefined; the run was not stored`);
  return summary;
}

/**
 * Asserts `actual` events deep-equal `expected` (as JSON: key order and undefined properties do
 * not count). On a mismatch it names the first differing seq and path with short previews,
 * where a plain `toEqual` would print megabytes of payload.
 */
export function expectSameEvents(
  actual: readonly AgentEvent[],
  expected: readonly AgentEvent[],
  what: string,
): void {
  if (actual.length !== expected.length) {
    assert.fail(
      `${what}: expected ${expected.length} events (seqs ${seqsOf(expected).join(', ')}), got ${actual.length} (seqs ${seqsOf(actual).join(', ')})`,
    );
  }
  for (const [index, event] of expected.entries()) {
    const difference = firstDifference(actual[index], event, '');
    if (difference !== undefined)
      assert.fail(`${what}: event ${index} (seq ${event.seq}) differs ${difference}`);
  }
}

/** Where `actual` and `expected` first differ once both are JSON values, or undefined when they do not. */
export function firstDifference(actual: unknown, expected: unknown, path: string): string | undefined {
  const at = path === '' ? 'at the top level' : `at ${path}`;
  if (isPlainObject(expected) && isPlainObject(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of [...keys].sort()) {
      const difference = firstDifference(actual[key], expected[key], path === '' ? key : `${path}.${key}`);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (actual.length !== expected.length)
      return `${at}: expected ${expected.length} items, got ${actual.length}`;
    for (const [index, item] of expected.entries()) {
      const difference = firstDifference(actual[index], item, `${path}[${index}]`);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  if (actual === expected) return undefined;
  return `${at}: expected ${preview(expected)}, got ${preview(actual)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of a value: long strings by length and their start. */
function preview(value: unknown): string {
  if (typeof value === 'string' && value.length > 60) {
    return `a string of length ${value.length} starting ${JSON.stringify(value.slice(0, 40))}`;
  }
  const json = JSON.stringify(value);
  if (json === undefined) return String(value);
  return json.length > 80 ? `${json.slice(0, 80)}…` : json;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
