import { AgentError, type AgentEvent, ConfigError, ValidationError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { completed, responded, started, step } from './__fixtures__/agent-events.js';
import { type TestStoreOptions, useTestDatabase } from './__fixtures__/test-database.js';

// How appends are queued, batched into transactions and flushed on close.

const database = useTestDatabase('event_store_batching');

/** A store whose schema refuses, inside PostgreSQL, any event of run "poison". */
async function createStoreWithPoison(options: Omit<TestStoreOptions, 'schema'> = {}) {
  const schema = await database.freshSchema();
  const store = database.openStore({ schema, ...options });
  await store.getRun('warm-up'); // creates the tables
  await database.admin.query(`
    CREATE FUNCTION "${schema}".refuse_poison() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION 'poisoned event'; END $$;
    CREATE TRIGGER refuse_poison BEFORE INSERT ON "${schema}".events
      FOR EACH ROW WHEN (NEW.run_id = 'poison') EXECUTE FUNCTION "${schema}".refuse_poison();
  `);
  return { store, schema };
}

/** Settles every promise, returning 'ok' or the rejection for each. */
function outcomes(promises: Promise<void>[]): Promise<unknown[]> {
  return Promise.all(
    promises.map((promise) =>
      promise.then(
        () => 'ok' as const,
        (error: unknown) => error,
      ),
    ),
  );
}

describe('PostgresEventStore: batched appends', () => {
  it('writes appends made together in one transaction, so a failing write rejects them all and stores none', async () => {
    const { store } = await createStoreWithPoison();

    const results = await outcomes([
      store.append([started('a')]),
      store.append([started('poison')]),
      store.append([started('b')]),
    ]);

    expect(results).toHaveLength(3);
    for (const result of results) {
      expect(result).toBeInstanceOf(AgentError);
      expect(result).toMatchObject({ code: 'INTERNAL', details: { reason: 'database', sqlState: 'P0001' } });
      expect((result as Error).message).toMatch(/append\(\) failed in PostgreSQL: poisoned event/);
    }
    expect((await store.listRuns()).runs).toEqual([]);
  });

  it('keeps working after a failed transaction', async () => {
    const { store } = await createStoreWithPoison();
    await expect(store.append([started('poison')])).rejects.toThrow(AgentError);

    await store.append([started('a')]);

    expect(await store.getRun('a')).toMatchObject({ eventCount: 1 });
  });

  it('rejects only the malformed append of a batch', async () => {
    const { store } = await createStoreWithPoison();

    const results = await outcomes([
      store.append([started('a')]),
      store.append([{ ...started('bad'), seq: -1 }]),
      store.append([started('b')]),
    ]);

    expect(results[0]).toBe('ok');
    expect(results[1]).toBeInstanceOf(ValidationError);
    expect(results[2]).toBe('ok');
    expect((await store.listRuns()).runs.map((run) => run.runId).sort()).toEqual(['a', 'b']);
  });

  it('rejects only the append that cannot be summarised, leaving no trace of it', async () => {
    const { store, schema } = await createStoreWithPoison();
    const noUsage = { ...responded('a', 2, { inputTokens: 1, outputTokens: 1 }), usage: undefined };

    const results = await outcomes([
      store.append([started('a')]),
      store.append([started('x'), step('a', 1)]),
      store.append([noUsage as unknown as AgentEvent]),
      store.append([step('y', 0), noUsage as unknown as AgentEvent]),
      store.append([step('a', 2), completed('a', 3)]),
    ]);

    expect(results.map((result) => (result === 'ok' ? 'ok' : (result as Error).name))).toEqual([
      'ok',
      'ok',
      'ValidationError',
      'ValidationError',
      'ok',
    ]);
    expect((await store.readRun('a')).map((event) => event.seq)).toEqual([0, 1, 2, 3]);
    expect(await store.getRun('a')).toMatchObject({ status: 'completed', eventCount: 4 });
    expect(await store.getRun('y')).toBeUndefined();
    const rows = await database.admin.query(`SELECT run_id FROM "${schema}".runs ORDER BY run_id`);
    expect(rows.rows.map((row) => row.run_id)).toEqual(['a', 'x']);
  });

  it('writes at most maxBatchEvents events per transaction, keeping each append whole', async () => {
    const { store } = await createStoreWithPoison({ maxBatchEvents: 2 });

    const results = await outcomes([
      store.append([started('a')]),
      store.append([started('poison')]),
      store.append([started('b'), step('b', 1)]),
    ]);

    expect(results[0]).toBeInstanceOf(AgentError);
    expect(results[1]).toBeInstanceOf(AgentError);
    expect(results[2]).toBe('ok');
    expect(await store.getRun('b')).toMatchObject({ eventCount: 2 });
  });

  it('writes an append larger than maxBatchEvents in one transaction', async () => {
    const { store } = await createStoreWithPoison({ maxBatchEvents: 2 });
    const run = [started('a'), step('a', 1), step('a', 2), step('a', 3), completed('a', 4)];

    await expect(store.append([...run, started('poison')])).rejects.toThrow(AgentError);
    await store.append(run);

    expect(await store.getRun('a')).toMatchObject({ status: 'completed', eventCount: 5 });
  });

  it('writes one transaction at a time, so appends made back to back commit in order', async () => {
    const store = database.openStore({ schema: await database.freshSchema(), maxBatchEvents: 1 });
    const events = [started('a'), ...Array.from({ length: 29 }, (_, index) => step('a', index + 1))];

    await Promise.all(events.map((event) => store.append([event])));

    const summary = await store.getRun('a');
    expect(summary).toMatchObject({ eventCount: 30 });
    expect(summary).not.toHaveProperty('missingEvents');
  });

  it('writes an append made as soon as the previous one resolved', async () => {
    const store = database.openStore({ schema: await database.freshSchema() });

    await store
      .append([started('a')])
      .then(() => store.append([step('a', 1)]))
      .then(() => store.append([step('a', 2)]));

    expect(await store.getRun('a')).toMatchObject({ eventCount: 3 });
  });

  it('writes many events from many runs in one append', async () => {
    const store = database.openStore({ schema: await database.freshSchema() });
    const events = Array.from({ length: 40 }, (_, run) =>
      Array.from({ length: 50 }, (_, seq) => (seq === 0 ? started(`run-${run}`) : step(`run-${run}`, seq))),
    ).flat();

    await store.append(events);

    expect((await store.listRuns({ limit: 100 })).runs).toHaveLength(40);
    expect(await store.readRun('run-39', { fromSeq: 49 })).toEqual([step('run-39', 49)]);
  });
});

describe('PostgresEventStore: schema and close', () => {
  it('creates a missing schema and its tables on first use', async () => {
    const schema = database.schemaName();
    const store = database.openStore({ schema });

    await store.append([started('a')]);

    const tables = await database.admin.query(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [schema],
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual([
      'event_store_schema_version',
      'events',
      'runs',
    ]);
  });

  it('refuses a schema migrated by a newer version, then retries the migration on the next call', async () => {
    const schema = await database.freshSchema();
    await database.admin.query(
      `CREATE TABLE "${schema}".event_store_schema_version (version integer PRIMARY KEY, applied_at timestamptz)`,
    );
    await database.admin.query(`INSERT INTO "${schema}".event_store_schema_version VALUES (99, now())`);
    const store = database.openStore({ schema });

    await expect(store.append([started('a')])).rejects.toThrow(ConfigError);
    await expect(store.getRun('a')).rejects.toThrow(/version 99, newer than/);
    await database.admin.query(`DELETE FROM "${schema}".event_store_schema_version`);

    await store.append([started('a')]);
    expect(await store.getRun('a')).toMatchObject({ eventCount: 1 });
  });

  it('writes the queued appends before close resolves', async () => {
    const schema = await database.freshSchema();
    const store = database.openStore({ schema });

    const appends = [store.append([started('a')]), store.append([step('a', 1)])];
    await store.close();

    await expect(Promise.all(appends)).resolves.toEqual([undefined, undefined]);
    expect(await database.openStore({ schema }).getRun('a')).toMatchObject({ eventCount: 2 });
  });

  it('leaves a pool it was given open on close', async () => {
    const pool = database.createPool();
    const store = database.openStore({ schema: await database.freshSchema(), pool });
    await store.append([started('a')]);

    await store.close();

    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('ends the pool it created on close', async () => {
    const applicationName = `event_store_close_${process.pid}_${Date.now()}`;
    const url = new URL(database.connectionString);
    url.searchParams.set('application_name', applicationName);
    const store = database.openStore({ schema: await database.freshSchema(), connectionString: url.href });
    await store.append([started('a')]);
    const countConnections = async () =>
      Number(
        (
          await database.admin.query(
            'SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1',
            [applicationName],
          )
        ).rows[0].n,
      );
    expect(await countConnections()).toBeGreaterThan(0);

    await store.close();

    // The server notices a closed connection a moment after the client: poll, boundedly.
    let open = await countConnections();
    for (let attempt = 0; attempt < 500 && open > 0; attempt++) open = await countConnections();
    expect(open).toBe(0);
  });
});
