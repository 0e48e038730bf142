import { describe, expect, it } from 'vitest';
import { eraseLocation, type Flaw, FlawedEventStore } from './__fixtures__/flawed-event-store.js';
import { ignoresResentEvents, keepsAppendOrder, storesForwardGaps } from './checks/append-checks.js';
import { rejectsCallsAfterClose } from './checks/lifecycle-checks.js';
import { boundsPageSize } from './checks/list-checks.js';
import {
  pagesStayStableWhileRunsArrive,
  pagesThroughHeavyTies,
  pagesVisitEveryRunOnce,
} from './checks/pagination-checks.js';
import { continuesSequencesAfterReopen, survivesReopen } from './checks/persistence-checks.js';
import { prunesEndedRunsByAge } from './checks/prune-checks.js';
import { firstTerminalEventWins, takesUsageFromTerminalEvent } from './checks/summary-checks.js';
import { rejectsMalformedBatchWhole } from './checks/validation-checks.js';
import { type ConformanceCheck, setupFrom } from './harness.js';

/** A deliberately broken store, the check that must catch it, and the assertion that must fail. */
interface Case {
  flaw: Flaw;
  check: ConformanceCheck;
  failure: RegExp;
}

const cases: readonly Case[] = [
  { flaw: 'reversed-order', check: keepsAppendOrder, failure: /events read back/ },
  { flaw: 'no-dedupe', check: ignoresResentEvents, failure: /events after re-sends/ },
  { flaw: 'gaps-not-counted', check: storesForwardGaps, failure: /summary after the gap/ },
  {
    flaw: 'partial-batch',
    check: rejectsMalformedBatchWhole,
    failure: /run created earlier in the batch with an empty runId/,
  },
  { flaw: 'usage-not-replaced', check: takesUsageFromTerminalEvent, failure: /usage of run.completed/ },
  { flaw: 'last-terminal-wins', check: firstTerminalEventWins, failure: /first terminal event/ },
  { flaw: 'cursor-skips-ties', check: pagesVisitEveryRunOnce, failure: /page sizes/ },
  { flaw: 'cursor-skips-ties', check: pagesThroughHeavyTies, failure: /runs of all pages in order/ },
  { flaw: 'offset-cursor', check: pagesStayStableWhileRunsArrive, failure: /runs of both pages in order/ },
  { flaw: 'unclamped-limit', check: boundsPageSize, failure: /runs on a page asked for 10000/ },
  { flaw: 'prunes-running', check: prunesEndedRunsByAge, failure: /runs deleted/ },
  {
    flaw: 'usable-after-close',
    check: rejectsCallsAfterClose,
    failure: /append\(\) after close\(\): expected a rejection with code INTERNAL, but it resolved/,
  },
  { flaw: 'forgets-on-close', check: survivesReopen, failure: /events after reopening/ },
  { flaw: 'forgets-on-close', check: continuesSequencesAfterReopen, failure: /seqs after reopening/ },
];

const rows = cases.map((row) => ({ ...row, name: row.check.name }));

/** Runs one check against a FlawedEventStore with `flaw`, persistent so the reopen checks apply. */
function runCheck(check: ConformanceCheck, flaw: Flaw): Promise<void> {
  const factory = ({ clock, location }: { clock: { now(): number }; location: string }) =>
    new FlawedEventStore(flaw, clock, location);
  return check.run(setupFrom(factory, { persistent: true, cleanup: eraseLocation }));
}

describe('the conformance suite against deliberately broken stores', () => {
  it.each(rows)('fails a store with flaw $flaw on: $name', async ({ flaw, check, failure }) => {
    await expect(runCheck(check, flaw)).rejects.toThrow(failure);
  });

  it.each(rows)('passes the same store without flaw $flaw on: $name', async ({ check }) => {
    await expect(runCheck(check, 'none')).resolves.toBeUndefined();
  });
});
