// The child process of sqlite-crash.test.ts. It writes runs through the BUILT SqliteEventStore
// (dist/, as an installed package would run it) and prints "ack <runId> <seq>" for every event
// only after the append holding it has resolved. The parent kills it with SIGKILL mid-stream and
// checks that every acknowledged event survived.
//
// Usage: node crash-writer.mjs <database path> <run id prefix>
import { RunEvents } from '@agent/event-store-conformance';
import { SqliteEventStore } from '../../../../dist/stores/sqlite/index.js';

const [path, prefix] = process.argv.slice(2);
const CONCURRENT_RUNS = 8;
// Bounded, so a parent that never kills still sees the child finish (and fails on that).
const MAX_ROUNDS = 3_000;
const STEPS_PER_RUN = 6;

const store = new SqliteEventStore({ path });
let runCount = 0;

/** A run in progress: its builder and how many model steps it has taken. */
function newRun() {
  runCount++;
  return {
    events: new RunEvents(`${prefix}-${runCount}`, {
      startedAt: Date.now(),
      tenant: `tenant-${runCount % 3}`,
    }),
    steps: -1,
  };
}

/** The next 1 to 3 events of `run`, ending it with run.completed after STEPS_PER_RUN steps. */
function nextEvents(run) {
  const { events } = run;
  run.steps++;
  if (run.steps === 0) return [events.started()];
  if (run.steps > STEPS_PER_RUN) return [events.completed()];
  return [
    events.modelRequested(),
    events.modelResponded({ inputTokens: 10 * run.steps, outputTokens: run.steps }, 'weather'),
    events.toolCalled(),
  ];
}

const runs = Array.from({ length: CONCURRENT_RUNS }, newRun);
process.stdout.write('ready\n');
for (let round = 0; round < MAX_ROUNDS; round++) {
  // One append per run, not awaited one by one: they share a batch, as a busy server's would.
  await Promise.all(
    runs.map(async (run, index) => {
      const events = nextEvents(run);
      await store.append(events);
      process.stdout.write(events.map((event) => `ack ${event.runId} ${event.seq}\n`).join(''));
      if (events.at(-1).type === 'run.completed') runs[index] = newRun();
    }),
  );
}
await store.close();
process.stdout.write('finished\n');
