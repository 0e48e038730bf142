import { AgentError, type AgentEvent } from '@agent/core';
import { RunEvents } from '@agent/event-store-conformance';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { peek, useTempDirectory } from './__fixtures__/temp-files.js';
import { SqliteEventStore } from './sqlite-event-store.js';
import * as writeBatchModule from './write-batch.js';

// Spy on the transaction writer to count transactions, while it keeps writing for real.
vi.mock('./write-batch.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./write-batch.js')>();
  return { ...original, writeBatch: vi.fn(original.writeBatch) };
});

const writeBatch = vi.mocked(writeBatchModule.writeBatch);
const { fileIn } = useTempDirectory('sqlite-batching-');
let fileCount = 0;
const stores: SqliteEventStore[] = [];

function openStore(options: { maxBatchEvents?: number; busyTimeoutMs?: number } = {}) {
  const path = fileIn(`batching-${++fileCount}.db`);
  const store = new SqliteEventStore({ path, ...options });
  stores.push(store);
  writeBatch.mockClear();
  return { store, path };
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

describe('SqliteEventStore batching', () => {
  it('writes the appends of one turn of the event loop in one transaction, resolving each after it commits', async () => {
    const { store, path } = openStore();
    const runs = ['run-a', 'run-b', 'run-c'].map((id) => new RunEvents(id));
    const reader = peek(path);

    const pending = runs.map((run) => store.append([run.started(), run.modelRequested()]));
    const visibleBeforeTheTurnEnds = reader.count('SELECT count(*) FROM events');
    await Promise.all(pending);

    expect(visibleBeforeTheTurnEnds).toBe(0);
    expect(writeBatch).toHaveBeenCalledTimes(1);
    expect(writeBatch.mock.calls[0]?.[1]).toHaveLength(3);
    expect(reader.count('SELECT count(*) FROM events')).toBe(6);
    reader.close();
  });

  it('writes at once, without waiting for the next turn, when the queue reaches maxBatchEvents', async () => {
    const { store, path } = openStore({ maxBatchEvents: 4 });
    const run = new RunEvents('run-1');
    const reader = peek(path);

    const first = store.append([run.started(), run.modelRequested()]);
    const afterFirst = reader.count('SELECT count(*) FROM events');
    const second = store.append([run.modelResponded(), run.toolCalled(), run.toolSucceeded()]);
    const afterSecond = reader.count('SELECT count(*) FROM events');
    await Promise.all([first, second]);

    expect([afterFirst, afterSecond]).toEqual([0, 5]);
    expect(writeBatch).toHaveBeenCalledTimes(1);
    reader.close();
  });

  it('stores 200 runs appended concurrently in one transaction', async () => {
    const { store } = openStore({ maxBatchEvents: 10_000 });
    const runs = Array.from({ length: 200 }, (_, index) => new RunEvents(`run-${index}`));

    await Promise.all(runs.map((run) => store.append(run.completedRun())));

    expect(writeBatch).toHaveBeenCalledTimes(1);
    const summaries = await Promise.all(runs.map((run) => store.getRun(run.runId)));
    expect(summaries.map((summary) => summary?.eventCount)).toEqual(runs.map(() => 7));
    expect((await store.listRuns({ limit: 500 })).runs).toHaveLength(200);
  });

  it('rejects only the append with a malformed event; the others in its batch are stored', async () => {
    const { store } = openStore();
    const good = new RunEvents('run-good');
    const bad = new RunEvents('run-bad');
    const other = new RunEvents('run-other');

    const results = await Promise.allSettled([
      store.append([good.started()]),
      store.append([bad.started(), { ...bad.modelRequested(), seq: -1 }]),
      store.append([other.started(), { ...other.modelRequested(), tenant: true as unknown as string }]),
      store.append([good.modelRequested()]),
    ]);

    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(results[1]).toMatchObject({ reason: { code: 'VALIDATION_FAILED' } });
    expect(results[2]).toMatchObject({ reason: { message: expect.stringMatching(/tenant is a string/) } });
    expect(writeBatch).toHaveBeenCalledTimes(1);
    expect((await store.readRun('run-good')).map((event) => event.seq)).toEqual([0, 1]);
    expect(await store.getRun('run-bad')).toBeUndefined();
    expect(await store.getRun('run-other')).toBeUndefined();
  });

  it('rolls back a failed batch, then retries each append alone so only the one the database refuses rejects', async () => {
    const { store } = openStore();
    const good = new RunEvents('run-good');
    const failing = new RunEvents('run-failing');
    // A model.responded without usage passes validation but breaks the summary halfway through
    // the transaction, after this append's first two events were already inserted.
    const failingEvents = [
      failing.started(),
      failing.modelRequested(),
      { ...failing.modelResponded(), usage: undefined } as unknown as AgentEvent,
    ];

    const results = await Promise.allSettled([
      store.append([good.started()]),
      store.append(failingEvents),
      store.append([good.modelRequested()]),
    ]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const reason = (results[1] as PromiseRejectedResult).reason;
    expect(AgentError.isInstance(reason) && reason.code).toBe('INTERNAL');
    expect(reason.message).toMatch(
      /could not write 3 events to ".*batching-\d+\.db".*Nothing of this append was stored/,
    );
    expect(writeBatch).toHaveBeenCalledTimes(4);
    expect(await store.getRun('run-failing')).toBeUndefined();
    expect(await store.readRun('run-failing')).toEqual([]);
    expect((await store.readRun('run-good')).map((event) => event.seq)).toEqual([0, 1]);
  });

  it('rejects with a retryable error naming the file when another connection holds the write lock', async () => {
    const { store, path } = openStore({ busyTimeoutMs: 0 });
    const locker = peek(path);
    locker.db.exec('BEGIN IMMEDIATE');

    const append = store.append([new RunEvents('run-1').started()]);

    await expect(append).rejects.toMatchObject({
      code: 'INTERNAL',
      retryable: true,
      message: expect.stringMatching(/another process held the write lock past busyTimeoutMs/),
    });
    locker.db.exec('ROLLBACK');
    locker.close();
    await store.append([new RunEvents('run-1').started()]);
    expect(await store.getRun('run-1')).toMatchObject({ eventCount: 1 });
  });
});
