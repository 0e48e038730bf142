import { AgentError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { started, step } from './__fixtures__/agent-events.js';
import { useTestDatabase } from './__fixtures__/test-database.js';

// Losing the connection to PostgreSQL, and getting it back.

const database = useTestDatabase('event_store_connection');

/** A store whose connections carry a unique application_name, so the test can find and kill them. */
async function createTrackedStore() {
  const applicationName = `event_store_${process.pid}_${Math.random().toString(36).slice(2)}`;
  const url = new URL(database.connectionString);
  url.searchParams.set('application_name', applicationName);
  const schema = await database.freshSchema();
  const store = database.openStore({ schema, connectionString: url.href });
  return { store, schema, applicationName };
}

/** Polls (boundedly) until one of the store's connections waits on a lock; returns its pid. */
async function waitForBlockedBackend(
  applicationName: string,
  except: readonly number[] = [],
): Promise<number> {
  for (let attempt = 0; attempt < 2_000; attempt++) {
    const { rows } = await database.admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE application_name = $1 AND wait_event_type = 'Lock' AND NOT (pid = ANY($2::int[]))`,
      [applicationName, except],
    );
    if (rows[0]) return rows[0].pid;
  }
  throw new Error(`No connection of ${applicationName} ever waited on the lock.`);
}

describe('PostgresEventStore: connection loss', () => {
  it('rejects with a retryable AgentError saying PostgreSQL is unreachable', async () => {
    // Port 1 on localhost: nothing listens there, so the connection is refused at once.
    const store = database.openStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test' });

    const appending = store.append([started('a')]);
    const reading = store.getRun('a');

    for (const call of [appending, reading]) {
      await expect(call).rejects.toThrow(AgentError);
      await expect(call).rejects.toMatchObject({
        code: 'INTERNAL',
        retryable: true,
        details: { reason: 'connection' },
      });
    }
    await expect(appending).rejects.toThrow(/append\(\) could not reach PostgreSQL \(.*ECONNREFUSED/);
    await expect(reading).rejects.toThrow(/getRun\(\) could not reach PostgreSQL/);
  });

  it('rejects an append whose connection is terminated mid-transaction, then recovers', async () => {
    const { store, schema, applicationName } = await createTrackedStore();
    await store.append([started('a')]);
    // Hold a lock the append needs, so its transaction is reliably in flight when it is killed.
    const locker = database.createPool({ max: 1 });
    const lockClient = await locker.connect();
    await lockClient.query(`BEGIN; LOCK TABLE "${schema}".runs IN ACCESS EXCLUSIVE MODE`);

    // Settled into a value at once: it rejects while the test is still busy killing connections.
    const appending = store.append([step('a', 1)]).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    const terminated: number[] = [];
    try {
      // The store retries once on a fresh connection after a lost one, so kill both attempts.
      for (let attempt = 0; attempt < 2; attempt++) {
        const pid = await waitForBlockedBackend(applicationName, terminated);
        await database.admin.query('SELECT pg_terminate_backend($1, 10000)', [pid]);
        terminated.push(pid);
      }
      const error = await appending;
      expect(error).toBeInstanceOf(AgentError);
      expect(error).toMatchObject({
        code: 'INTERNAL',
        retryable: true,
        details: { reason: 'connection', sqlState: '57P01' },
      });
      expect((error as Error).message).toMatch(/append\(\) could not reach PostgreSQL/);
    } finally {
      await lockClient.query('ROLLBACK');
      lockClient.release();
    }

    await store.append([step('a', 1)]);

    expect(await store.getRun('a')).toMatchObject({ eventCount: 2 });
  });

  it('retries once on a fresh connection when the first one is killed mid-transaction', async () => {
    const { store, schema, applicationName } = await createTrackedStore();
    await store.append([started('a')]);
    const locker = database.createPool({ max: 1 });
    const lockClient = await locker.connect();
    await lockClient.query(`BEGIN; LOCK TABLE "${schema}".runs IN ACCESS EXCLUSIVE MODE`);

    const appending = store.append([step('a', 1)]);
    try {
      const pid = await waitForBlockedBackend(applicationName);
      await database.admin.query('SELECT pg_terminate_backend($1, 10000)', [pid]);
      await waitForBlockedBackend(applicationName, [pid]);
    } finally {
      await lockClient.query('ROLLBACK');
      lockClient.release();
    }

    await expect(appending).resolves.toBeUndefined();
    expect(await store.getRun('a')).toMatchObject({ eventCount: 2 });
  });

  it('recovers when every idle connection of its pool was terminated', async () => {
    const { store, applicationName } = await createTrackedStore();
    await Promise.all([
      store.append([started('a')]),
      store.getRun('a'),
      store.listRuns(),
      store.readRun('a'),
    ]);

    const killed = await database.admin.query(
      'SELECT pg_terminate_backend(pid, 10000) AS done FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    expect(killed.rows.length).toBeGreaterThan(0);

    await store.append([step('a', 1)]);
    expect(await store.getRun('a')).toMatchObject({ eventCount: 2 });
    expect(await store.readRun('a')).toHaveLength(2);
  });
});
