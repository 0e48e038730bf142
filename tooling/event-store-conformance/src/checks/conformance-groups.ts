import type { ConformanceGroup } from '../harness.js';
import { appendChecks } from './append-checks.js';
import { concurrencyChecks } from './concurrency-checks.js';
import { lifecycleChecks } from './lifecycle-checks.js';
import { listChecks } from './list-checks.js';
import { paginationChecks } from './pagination-checks.js';
import { payloadChecks } from './payload-checks.js';
import { persistenceChecks } from './persistence-checks.js';
import { pruneChecks } from './prune-checks.js';
import { readChecks } from './read-checks.js';
import { summaryChecks } from './summary-checks.js';
import { validationChecks } from './validation-checks.js';

/** Every check of the suite, grouped as `describeEventStore` registers them; failure paths first. */
export const conformanceGroups: readonly ConformanceGroup[] = [
  { title: 'input validation', checks: validationChecks },
  { title: 'append: order, re-sends and gaps', checks: appendChecks },
  { title: 'readRun and getRun', checks: readChecks },
  { title: 'run summaries', checks: summaryChecks },
  { title: 'listRuns: order and filters', checks: listChecks },
  { title: 'listRuns: cursor pagination', checks: paginationChecks },
  { title: 'prune', checks: pruneChecks },
  { title: 'payloads', checks: payloadChecks },
  { title: 'concurrency', checks: concurrencyChecks },
  { title: 'close', checks: lifecycleChecks },
  { title: 'persistence (persistent stores only)', checks: persistenceChecks },
];
