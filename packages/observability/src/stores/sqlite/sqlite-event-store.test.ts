import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentError, type AgentEvent, ConfigError } from '@agent/core';
import { RunEvents } from '@agent/event-store-conformance';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { peek, useTempDirectory } from './__fixtures__/temp-files.js';
import { SqliteEventStore } from './sqlite-event-store.js';
import type { SqliteEventStoreOptions } from './sqlite-event-store-options.js';

const { directory, fileIn } = useTempDirectory('sqlite-store-');
let fileCount = 0;
const stores: SqliteEventStore[] = [];

function openStore(options: Partial<SqliteEventStoreOptions> = {}): SqliteEventStore {
  const store = new SqliteEventStore({ path: fileIn(`store-${++fileCount}.db`), ...options });
  stores.push(store);
  return store;
}

/** The error `create` throws, failing the test if it does not throw. */
function errorOf(create: () => unknown): Error {
  try {
    create();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the constructor to throw');
}

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const store of stores.splice(0)) await store.close();
});

describe('SqliteEventStore: opening the file', () => {
  it('creates missing parent directories and uses WAL journal mode in the file', async () => {
    const path = join(directory, 'nested', 'deeper', 'events.db');
    const store = openStore({ path });

    await store.append([new RunEvents('run-1').started()]);

    const reader = peek(path);
    expect(reader.db.prepare('PRAGMA journal_mode').pluck().all()).toEqual(['wal']);
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(store.path).toBe(path);
    reader.close();
  });

  it('records the schema version in user_version', () => {
    const path = fileIn('versioned.db');
    openStore({ path });

    const reader = peek(path);
    expect(reader.count('PRAGMA user_version')).toBe(1);
    reader.close();
  });

  it('refuses a file written by a newer schema with a ConfigError saying to upgrade', () => {
    const path = fileIn('newer.db');
    const writer = peek(path);
    writer.db.exec('PRAGMA user_version = 99');
    writer.close();

    const error = errorOf(() => new SqliteEventStore({ path }));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(`"${path}" has schema version 99`);
    expect(error.message).toContain('Upgrade @agent/observability');
  });

  it('refuses a SQLite file that already has a runs table of its own, leaving it untouched', () => {
    const path = fileIn('foreign.db');
    const writer = peek(path);
    writer.db.exec('CREATE TABLE runs (id INTEGER)');
    writer.close();

    const error = errorOf(() => new SqliteEventStore({ path }));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/could not open ".*foreign\.db" as its database \(.*runs already exists\)/);
    const reader = peek(path);
    expect(reader.count('PRAGMA user_version')).toBe(0);
    expect(reader.count("SELECT count(*) FROM sqlite_master WHERE name = 'events'")).toBe(0);
    reader.close();
  });

  it('refuses a corrupted file with a ConfigError naming it and what to check', () => {
    const path = fileIn('corrupted.db');
    writeFileSync(path, 'this is not a database, just bytes that happen to be here '.repeat(20));

    const error = errorOf(() => new SqliteEventStore({ path }));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(`could not open "${path}"`);
    expect(error.message).toContain('file is not a database');
    expect(error.message).toContain('a SQLite file written by this store; or choose another path');
  });

  it('refuses a path that is a directory', () => {
    const path = fileIn('a-directory');
    mkdirSync(path);

    const error = errorOf(() => new SqliteEventStore({ path }));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(`could not open "${path}"`);
    expect(error.message).toContain('is a file (not a directory)');
  });

  it('refuses a path whose parent cannot be created, naming the path', () => {
    const blocker = fileIn('plain-file');
    writeFileSync(blocker, 'x');
    const path = join(blocker, 'sub', 'events.db');

    const error = errorOf(() => new SqliteEventStore({ path }));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(`could not create the directory of "${path}"`);
    expect(error.message).toContain('make it writable, or choose another path');
  });

  it.each([
    ['path', { path: '' }],
    ['synchronous', { synchronous: 'off' as 'full' }],
    ['busyTimeoutMs', { busyTimeoutMs: -1 }],
    ['maxBatchEvents', { maxBatchEvents: 0 }],
    ['retention needs maxAgeMs, maxRuns', { retention: {} }],
    ['retention.maxAgeMs', { retention: { maxAgeMs: Number.NaN } }],
    ['retention.maxRuns', { retention: { maxRuns: 1.5 } }],
    ['retention.intervalMs', { retention: { maxRuns: 1, intervalMs: 2 ** 31 } }],
  ])('rejects a bad %s with a ConfigError naming it', (name, options) => {
    const error = errorOf(() => new SqliteEventStore({ path: ':memory:', ...options }));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(name);
  });
});

describe('SqliteEventStore: appends', () => {
  it('stores events as they were when append was called, not as the caller later changed them', async () => {
    const store = openStore();
    const started = new RunEvents('run-1').started('original input');

    const pending = store.append([started]);
    started.input = 'changed afterwards';
    await pending;

    expect(await store.readRun('run-1')).toMatchObject([{ input: 'original input' }]);
  });

  it('lets a read see an append that is still queued', async () => {
    const store = openStore();
    const run = new RunEvents('run-1');

    const pending = store.append([run.started(), run.modelRequested()]);
    const summary = await store.getRun('run-1');
    await pending;

    expect(summary).toMatchObject({ eventCount: 2 });
  });

  it('resolves an empty append without writing', async () => {
    const store = openStore();

    await store.append([]);

    expect((await store.listRuns()).runs).toEqual([]);
  });

  it.each([
    ['not an array', { runId: 'run-1' } as unknown as AgentEvent[], /append takes an array of events/],
    [
      'a BigInt payload',
      [{ ...new RunEvents('run-1').toolSucceeded(), output: 10n } as unknown as AgentEvent],
      /cannot be stored as JSON: .*BigInt.*Keep payloads to JSON values/,
    ],
    [
      'no agent',
      [{ ...new RunEvents('run-1').started(), agent: undefined } as unknown as AgentEvent],
      /needs a string type and agent and a finite timestamp/,
    ],
    [
      'a NaN timestamp',
      [{ ...new RunEvents('run-1').started(), timestamp: Number.NaN }],
      /finite timestamp \(got .*timestamp NaN\)/,
    ],
    [
      'a run.failed without an error code',
      [{ ...new RunEvents('run-1').failed(), error: {} } as unknown as AgentEvent],
      /needs error\.code as a string/,
    ],
    ['a null event', [null] as unknown as AgentEvent[], /invalid runId or seq/],
  ])(
    'rejects an append with %s with a ValidationError and stores nothing',
    async (_name, events, message) => {
      const store = openStore();

      await expect(store.append(events)).rejects.toThrow(message);
      await expect(store.append(events)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect((await store.listRuns()).runs).toEqual([]);
    },
  );

  it('reports a failed read as an AgentError naming the file', async () => {
    const store = openStore();
    await store.append([new RunEvents('run-1').started()]);
    const intruder = peek(store.path);
    intruder.db.exec('DROP TABLE events');
    intruder.close();

    const read = store.readRun('run-1');

    await expect(read).rejects.toSatisfy(
      (error) => AgentError.isInstance(error) && error.code === 'INTERNAL',
    );
    await expect(read).rejects.toThrow(/readRun\(\) failed on ".*store-\d+\.db": no such table: events/);
  });
});

describe('SqliteEventStore: failed prune', () => {
  it('rolls a failed prune back whole and reports it as an AgentError naming the file', async () => {
    const store = openStore();
    await store.append([new RunEvents('run-1').started(), new RunEvents('run-2').started()]);
    const intruder = peek(store.path);
    intruder.db.exec('DROP TABLE events');
    intruder.close();

    const prune = store.prune({ maxAgeMs: 0, maxRuns: 0 });

    await expect(prune).rejects.toThrow(/prune\(\) failed on ".*store-\d+\.db": no such table: events/);
    expect((await store.listRuns()).runs).toHaveLength(2);
  });
});

describe('SqliteEventStore: retention timer', () => {
  it('prunes with the retention policy every intervalMs', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const store = openStore({ retention: { maxRuns: 1, intervalMs: 1_000 } });
    await store.append(
      [1, 2, 3].map((index) => new RunEvents(`run-${index}`, { startedAt: index }).started()),
    );

    vi.advanceTimersByTime(999);
    const beforeInterval = (await store.listRuns()).runs.length;
    vi.advanceTimersByTime(1);
    const afterInterval = (await store.listRuns()).runs.map((run) => run.runId);

    expect(beforeInterval).toBe(3);
    expect(afterInterval).toEqual(['run-3']);
  });

  it('ages runs out by the clock and reports a failing prune to onRetentionError', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = 10_000;
    let clockFails = false;
    const clock = {
      now: () => {
        if (clockFails) throw new Error('clock unavailable');
        return now;
      },
    };
    const errors: unknown[] = [];
    const store = openStore({
      clock,
      retention: { maxAgeMs: 1_000, intervalMs: 500 },
      onRetentionError: (error) => {
        errors.push(error);
        throw new Error('a handler that throws must not crash the process');
      },
    });
    const run = new RunEvents('run-1', { startedAt: 8_000 });
    await store.append([run.started(), run.completed()]);

    now = 9_010; // ended at 8_010: exactly maxAgeMs ago, not older
    vi.advanceTimersByTime(500);
    const keptAtFirst = await store.getRun('run-1');
    now = 20_000;
    vi.advanceTimersByTime(500);
    const keptAfterAge = await store.getRun('run-1');
    clockFails = true;
    vi.advanceTimersByTime(500);
    await new Promise((resolve) => setImmediate(resolve));

    expect(keptAtFirst).toBeDefined();
    expect(keptAfterAge).toBeUndefined();
    expect(errors).toEqual([new Error('clock unavailable')]);
  });

  it('runs its timer unref’d, so it never keeps the process alive, and stops it on close', async () => {
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const clearIntervalSpy = vi.spyOn(globalThis, 'clearInterval');
    const store = openStore({ retention: { maxRuns: 10 } });
    const timer = setIntervalSpy.mock.results[0]?.value as NodeJS.Timeout;

    await store.close();

    expect(setIntervalSpy).toHaveBeenCalledWith(expect.any(Function), 600_000);
    expect(timer.hasRef()).toBe(false);
    expect(clearIntervalSpy).toHaveBeenCalledWith(timer);
  });
});
