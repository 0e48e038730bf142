// Event throughput of @agent/observability, each next to a baseline measured in the same run:
//
// 1. SqliteEventStore.append, one event per call from many concurrent runs (the store batches
//    them into transactions), against the same rows written straight through libsql in
//    transactions of the same size: the ratio is what the store's queueing, validation and
//    summaries cost. Shown for synchronous=full (the default: acknowledged means fsynced) and
//    normal.
// 2. EventBus with three subscribers (each its own bounded queue, drained asynchronously),
//    against calling the same three handlers directly in a loop.
//
//   node observability.bench.mjs           full run
//   node observability.bench.mjs --quick   small counts (CI smoke)
//
// Prints numbers only; it never fails on them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '@agent/core';
import { SqliteEventStore } from '@agent/observability/sqlite';
import Database from 'libsql';

const quick = process.argv.includes('--quick');
const STORE_EVENTS = quick ? 5_000 : 100_000;
const RUNS = quick ? 50 : 1_000;
const BUS_EVENTS = quick ? 20_000 : 500_000;

function event(runId, seq) {
  const base = { runId, seq, timestamp: 1_700_000_000_000 + seq, agent: 'bench', tenant: 'acme' };
  if (seq === 0) return { ...base, type: 'run.started', input: 'What is the weather in Paris?' };
  return {
    ...base,
    type: 'model.responded',
    step: seq,
    provider: 'openai',
    model: 'gpt-4o-mini',
    message: { role: 'assistant', content: 'It is sunny and 21 degrees in Paris today.' },
    usage: { inputTokens: 120, outputTokens: 24 },
    finishReason: 'stop',
    durationMs: 412,
  };
}

/** Events in the order concurrent runs would emit them: round-robin over the runs. */
function workload(total, runs) {
  const perRun = Math.ceil(total / runs);
  const events = [];
  for (let seq = 0; seq < perRun; seq++) {
    for (let run = 0; run < runs && events.length < total; run++) events.push(event(`run-${run}`, seq));
  }
  return events;
}

async function benchStore(synchronous, events) {
  const dir = mkdtempSync(join(tmpdir(), 'agent-bench-'));
  const store = new SqliteEventStore({ path: join(dir, 'events.db'), synchronous });
  try {
    await store.append(workload(200, 20).map((e) => ({ ...e, runId: `warm-${e.runId}` })));
    const started = performance.now();
    // One append per event, all in flight at once, as a busy server's store sink would send them.
    await Promise.all(events.map((e) => store.append([e])));
    const seconds = (performance.now() - started) / 1000;
    const check = await store.getRun('run-0');
    if (check?.eventCount !== Math.ceil(events.length / RUNS)) throw new Error('store lost events');
    return events.length / seconds;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchRawLibsql(synchronous, events, batchSize) {
  const dir = mkdtempSync(join(tmpdir(), 'agent-bench-'));
  const db = new Database(join(dir, 'raw.db'));
  try {
    db.exec('PRAGMA journal_mode=WAL');
    db.exec(`PRAGMA synchronous=${synchronous.toUpperCase()}`);
    db.exec(
      'CREATE TABLE events (run_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, timestamp INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID',
    );
    const insert = db.prepare('INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?)');
    const write = db.transaction((batch) => {
      for (const e of batch) insert.run(e.runId, e.seq, e.type, e.timestamp, JSON.stringify(e));
    });
    const started = performance.now();
    for (let index = 0; index < events.length; index += batchSize)
      write(events.slice(index, index + batchSize));
    return events.length / ((performance.now() - started) / 1000);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchBus(events) {
  const bus = new EventBus({ maxQueue: events.length });
  let delivered = 0;
  let resolveDone;
  const done = new Promise((resolve) => {
    resolveDone = resolve;
  });
  const handler = () => {
    if (++delivered === events.length * 3) resolveDone();
  };
  for (let index = 0; index < 3; index++) bus.subscribe(handler);
  const started = performance.now();
  for (const e of events) bus.publish(e);
  await done;
  const seconds = (performance.now() - started) / 1000;
  if (bus.stats().dropped !== 0) throw new Error('bus dropped events');
  return events.length / seconds;
}

function benchDirectCalls(events) {
  let delivered = 0;
  const handlers = [() => delivered++, () => delivered++, () => delivered++];
  const started = performance.now();
  for (const e of events) for (const handler of handlers) handler(e);
  const seconds = (performance.now() - started) / 1000;
  if (delivered !== events.length * 3) throw new Error('lost calls');
  return events.length / seconds;
}

const format = (value) => Math.round(value).toLocaleString('en-US');

console.log(`@agent/observability event throughput (Node ${process.version}${quick ? ', --quick' : ''})\n`);
const storeEvents = workload(STORE_EVENTS, RUNS);
const rows = [];
for (const synchronous of ['full', 'normal']) {
  const store = await benchStore(synchronous, storeEvents);
  const raw = benchRawLibsql(synchronous, storeEvents, 500);
  rows.push({
    what: `SqliteEventStore.append, synchronous=${synchronous}`,
    'events/s': format(store),
    baseline: 'raw libsql, 500 rows/tx',
    'baseline events/s': format(raw),
    ratio: (store / raw).toFixed(2),
  });
}
const busEvents = workload(BUS_EVENTS, 100);
const bus = await benchBus(busEvents);
const direct = benchDirectCalls(busEvents);
rows.push({
  what: 'EventBus, 3 subscribers (events/s published and delivered to all 3)',
  'events/s': format(bus),
  baseline: 'the 3 handlers called directly',
  'baseline events/s': format(direct),
  ratio: (bus / direct).toFixed(2),
});
console.table(rows);
console.log(
  `${format(STORE_EVENTS)} events over ${RUNS} runs to the store; ${format(BUS_EVENTS)} through the bus`,
);
