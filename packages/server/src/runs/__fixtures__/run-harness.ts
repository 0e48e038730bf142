import {
  AbortedError,
  Agent,
  type AgentEvent,
  type Clock,
  MemoryEventStore,
  type ModelRequest,
  type ModelResponse,
} from '@agent/core';
import { ScriptedModel, type ScriptedStep, textResponse } from '@agent/core/testing';
import { instrument, LiveEvents } from '@agent/observability';
import type { Principal, RunManager } from '../../contract.js';
import { createRunManager, type RunManagerOptions } from '../run-manager.js';

/** A promise the test opens by hand. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** A scripted step that answers `text` once `opened` resolves, or fails as aborted when the run is cancelled. */
export function gatedText(opened: Promise<void>, text = 'done'): ScriptedStep {
  return (request: ModelRequest) =>
    new Promise<ModelResponse | Error>((resolve) => {
      const signal = request.signal;
      const onAbort = (): void => resolve(new AbortedError('The model call was aborted.'));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      void opened.then(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(textResponse(text));
      });
    });
}

export function principal(tenant: string, subject = `${tenant}-key`): Principal {
  return { subject, tenant, scopes: new Set(['runs:write', 'runs:read']), method: 'api-key' };
}

/** A manual clock. */
export function manualClock(time = 1_000_000): Clock & { time: number } {
  const clock = { time, now: () => clock.time };
  return clock;
}

/** Collects an iterable's events until it ends. */
export async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const all: AgentEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** Takes the next `count` events of an iterator. */
export async function take(iterator: AsyncIterator<AgentEvent>, count: number): Promise<AgentEvent[]> {
  const taken: AgentEvent[] = [];
  while (taken.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    taken.push(next.value);
  }
  return taken;
}

export interface HarnessOptions {
  /** Scripts of the `assistant` agent's model. */
  script?: ScriptedStep[];
  /** Fallback step when the script runs out. */
  fallback?: ScriptedStep;
  store?: MemoryEventStore;
  live?: LiveEvents;
  manager?: Partial<RunManagerOptions>;
}

/** A run manager over real agents, a MemoryEventStore, LiveEvents and instrument(). */
export function createHarness(options: HarnessOptions = {}) {
  const store = options.store ?? new MemoryEventStore();
  const live = options.live ?? new LiveEvents();
  const telemetry = instrument({ store, live });
  const model = new ScriptedModel(options.script ?? [], {
    ...(options.fallback !== undefined ? { fallback: options.fallback } : {}),
  });
  const assistant = new Agent({ name: 'assistant', model, ...telemetry.agentOptions });
  const helper = new Agent({
    name: 'helper',
    model: new ScriptedModel([], { fallback: textResponse('helped') }),
    ...telemetry.agentOptions,
  });
  let counter = 0;
  const runs: RunManager = createRunManager({
    agents: new Map([
      ['assistant', assistant],
      ['helper', helper],
    ]),
    store,
    live,
    flush: () => telemetry.flush(),
    redact: (event) => telemetry.redactor.redact(event),
    idGenerator: () => `run-${++counter}`,
    ...options.manager,
  });
  return { store, live, telemetry, model, runs, close: () => telemetry.close() };
}
