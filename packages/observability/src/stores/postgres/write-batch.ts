import { applyEventToSummary, ValidationError } from '@agent/core';
import type { PoolClient } from 'pg';
import type { PreparedEvent } from './event-rows.js';
import { RUN_COLUMNS, type RunRow, type RunState, stateFromRow } from './run-rows.js';

// A prune deleting a run between our placeholder INSERT and our SELECT ... FOR UPDATE makes the
// row vanish; a few rounds re-create it. More than that means something else keeps deleting it.
const MAX_LOCK_ROUNDS = 3;

/**
 * Writes the events of several appends inside the caller's transaction, each append all or
 * nothing. Resolves to one entry per append: `undefined` when it was written (or had nothing
 * new), or the `ValidationError` that excluded it alone.
 *
 * The runs' rows are locked first, in one order every writer uses, so two stores appending to
 * the same runs queue behind each other instead of deadlocking or overwriting each other's
 * summaries. Summaries come from core's `applyEventToSummary`, so every store agrees.
 */
export async function writeBatch(
  client: PoolClient,
  schema: string,
  appends: readonly (readonly PreparedEvent[])[],
): Promise<(ValidationError | undefined)[]> {
  const runIds = [...new Set(appends.flatMap((events) => events.map(({ event }) => event.runId)))].sort();
  const locked = await lockRuns(client, schema, runIds);
  const states = new Map<string, RunState>();
  for (const [runId, state] of locked) if (state) states.set(runId, state);

  const changed = new Set<string>();
  const rows: PreparedEvent[] = [];
  const outcomes = appends.map((events) => {
    // Apply to an overlay so an append that cannot be summarised leaves no trace.
    const overlay = new Map<string, RunState>();
    const accepted: PreparedEvent[] = [];
    try {
      for (const prepared of events) {
        const { event } = prepared;
        const current = overlay.get(event.runId) ?? states.get(event.runId);
        const nextSeq = current?.nextSeq ?? 0;
        // Older than the newest stored seq: a re-sent event, ignored as MemoryEventStore does.
        if (event.seq < nextSeq) continue;
        const summary = applyEventToSummary(current?.summary, event);
        const skipped = event.seq - nextSeq;
        if (skipped > 0) summary.missingEvents = (summary.missingEvents ?? 0) + skipped;
        overlay.set(event.runId, { summary, nextSeq: event.seq + 1 });
        accepted.push(prepared);
      }
    } catch (error) {
      return new ValidationError(
        `Events of run ${JSON.stringify(events[0]?.event.runId)} could not be summarised (${(error as Error).message}); nothing of this append was stored. Check that each event has the fields its type requires (e.g. usage on model.responded).`,
        { cause: error },
      );
    }
    for (const [runId, state] of overlay) {
      states.set(runId, state);
      changed.add(runId);
    }
    rows.push(...accepted);
    return undefined;
  });

  await insertEvents(client, schema, rows);
  await updateRuns(
    client,
    schema,
    [...changed].map((runId) => states.get(runId) as RunState),
  );
  // Placeholders of runs whose only append was refused must not outlive the transaction.
  const unused = [...locked].filter(([runId, state]) => !state && !changed.has(runId)).map(([id]) => id);
  if (unused.length > 0) {
    await client.query(`DELETE FROM ${schema}.runs WHERE run_id = ANY($1::text[]) AND event_count = 0`, [
      unused,
    ]);
  }
  return outcomes;
}

/**
 * Makes sure each run has a row (an empty placeholder for a new run, which `stateFromRow` reads
 * as `undefined`) and locks them all with `SELECT ... FOR UPDATE`. Both steps go in sorted
 * run-id order, so concurrent writers take locks in the same order and cannot deadlock.
 */
async function lockRuns(
  client: PoolClient,
  schema: string,
  runIds: readonly string[],
): Promise<Map<string, RunState | undefined>> {
  const locked = new Map<string, RunState | undefined>();
  let missing = runIds;
  for (let round = 0; round < MAX_LOCK_ROUNDS && missing.length > 0; round++) {
    await client.query(
      `INSERT INTO ${schema}.runs (run_id, agent, status, started_at, usage, event_count, next_seq)
       SELECT id, '', 'running', 0, '{}', 0, 0 FROM unnest($1::text[]) WITH ORDINALITY AS t(id, position)
       ORDER BY position
       ON CONFLICT (run_id) DO NOTHING`,
      [missing],
    );
    const result = await client.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM ${schema}.runs WHERE run_id = ANY($1::text[]) ORDER BY run_id FOR UPDATE`,
      [missing],
    );
    for (const row of result.rows) locked.set(row.run_id, stateFromRow(row));
    missing = missing.filter((runId) => !locked.has(runId));
  }
  if (missing.length > 0) {
    throw new Error(
      `Runs ${JSON.stringify(missing.slice(0, 5))} were deleted again each time the append tried to lock them (is a prune running in a loop?).`,
    );
  }
  return locked;
}

async function insertEvents(
  client: PoolClient,
  schema: string,
  rows: readonly PreparedEvent[],
): Promise<void> {
  if (rows.length === 0) return;
  // One multi-row INSERT from parallel arrays: five parameters however many rows, so a large
  // batch never meets PostgreSQL's 65,535 bind-parameter limit. ON CONFLICT keeps it idempotent.
  await client.query(
    `INSERT INTO ${schema}.events (run_id, seq, type, "timestamp", body)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::float8[], $5::jsonb[])
     ON CONFLICT (run_id, seq) DO NOTHING`,
    [
      rows.map(({ event }) => event.runId),
      rows.map(({ event }) => event.seq),
      rows.map(({ event }) => event.type),
      rows.map(({ event }) => event.timestamp),
      rows.map(({ body }) => body),
    ],
  );
}

async function updateRuns(client: PoolClient, schema: string, states: readonly RunState[]): Promise<void> {
  if (states.length === 0) return;
  const summaries = states.map((state) => state.summary);
  await client.query(
    `UPDATE ${schema}.runs AS r SET
       agent = v.agent, tenant = v.tenant, status = v.status, started_at = v.started_at,
       ended_at = v.ended_at, usage = v.usage, event_count = v.event_count,
       missing_events = v.missing_events, error_code = v.error_code, next_seq = v.next_seq
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[],
                 $7::jsonb[], $8::bigint[], $9::bigint[], $10::text[], $11::bigint[])
       AS v(${RUN_COLUMNS})
     WHERE r.run_id = v.run_id`,
    [
      summaries.map((summary) => summary.runId),
      summaries.map((summary) => summary.agent),
      summaries.map((summary) => summary.tenant ?? null),
      summaries.map((summary) => summary.status),
      summaries.map((summary) => summary.startedAt),
      summaries.map((summary) => summary.endedAt ?? null),
      summaries.map((summary) => JSON.stringify(summary.usage)),
      summaries.map((summary) => summary.eventCount),
      summaries.map((summary) => summary.missingEvents ?? 0),
      summaries.map((summary) => summary.errorCode ?? null),
      states.map((state) => state.nextSeq),
    ],
  );
}
