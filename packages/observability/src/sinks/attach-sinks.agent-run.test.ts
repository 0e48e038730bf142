import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortedError, Agent, type AgentEvent, EventBus, MemoryEventStore } from '@agent/core';
import { ScriptedModel, textResponse, toolCallResponse } from '@agent/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { echoTool } from '../metrics/__fixtures__/test-tools.js';
import { stubRedactor, tick } from './__fixtures__/events.js';
import { attachSinks } from './attach-sinks.js';
import { createJsonlFileSink } from './jsonl-file-sink.js';
import { LiveEvents } from './live-events.js';
import { createStoreSink } from './store-sink.js';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'sinks-run-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

function toolRun(bus: EventBus): Agent {
  const model = new ScriptedModel([toolCallResponse('echo', { text: 'private note' }), textResponse('done')]);
  return new Agent({ name: 'helper', model, tools: [echoTool], events: bus });
}

async function readJsonl(path: string): Promise<AgentEvent[]> {
  const text = await readFile(path, 'utf8');
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as AgentEvent);
}

describe('sinks on a real agent run', () => {
  it('brings the run, in order, to a store, a JSONL file and a live subscriber', async () => {
    const bus = new EventBus();
    const published: AgentEvent[] = [];
    bus.tap((event) => published.push(event));
    const live = new LiveEvents();
    bus.tap((event) => live.publish(event));
    const store = new MemoryEventStore();
    const path = join(directory, 'events.jsonl');
    const attached = attachSinks(bus, [createStoreSink(store), createJsonlFileSink({ path })]);
    const liveEvents: AgentEvent[] = [];
    const reading = (async () => {
      for await (const event of live.subscribe({ runId: 'run-e2e' })) liveEvents.push(event);
    })();

    const result = await toolRun(bus).run('echo something', { runId: 'run-e2e', tenant: 'acme' });
    await reading;
    await attached.close();

    expect(result.output).toBe('done');
    expect(published.map((event) => event.seq)).toEqual(published.map((_, index) => index));
    expect(published.map((event) => event.type)).toEqual(
      expect.arrayContaining(['run.started', 'tool.called', 'tool.succeeded', 'run.completed']),
    );
    expect(published.at(-1)?.type).toBe('run.completed');
    expect(liveEvents).toEqual(published);
    expect(await store.readRun('run-e2e')).toEqual(published);
    expect(await store.getRun('run-e2e')).toMatchObject({ status: 'completed', tenant: 'acme' });
    expect(await readJsonl(path)).toEqual(JSON.parse(JSON.stringify(published)));
  });

  it('redacts what it stores and writes when the sinks are given a redactor', async () => {
    const bus = new EventBus();
    const store = new MemoryEventStore();
    const path = join(directory, 'events.jsonl');
    const attached = attachSinks(bus, [
      createStoreSink(store, { redactor: stubRedactor }),
      createJsonlFileSink({ path, redactor: stubRedactor }),
    ]);

    await toolRun(bus).run('mail alice@example.com', { runId: 'run-r' });
    await attached.close();

    const stored = JSON.stringify(await store.readRun('run-r'));
    const written = await readFile(path, 'utf8');
    for (const text of [stored, written]) {
      expect(text).not.toMatch(/alice@example\.com|private note/);
      expect(text).toContain('[REDACTED:email]');
    }
  });

  it('lets the run finish when a sink never settles: only that sink drops, and counts it', async () => {
    const bus = new EventBus();
    const store = new MemoryEventStore();
    const published: AgentEvent[] = [];
    bus.tap((event) => published.push(event));
    const stalled = { handle: () => new Promise<void>(() => {}) };
    const storeSink = createStoreSink(store);
    const attached = attachSinks(bus, [stalled, storeSink], { maxQueue: 3 });

    const result = await toolRun(bus).run('go', { runId: 'run-slow' });
    await tick();
    await storeSink.flush();
    const [slow, healthy] = attached.stats();

    expect(result.status).toBe('completed');
    expect(published.length).toBeGreaterThan(5);
    expect(slow).toEqual({ pending: 3, dropped: published.length - 1 - 3 });
    expect(healthy).toEqual({ dropped: 0, pending: 0 });
    expect(await store.readRun('run-slow')).toEqual(published);

    // Shutdown is bounded by a signal: the stalled sink fails with AbortedError, the rest close.
    const controller = new AbortController();
    const closing = attached.close({ signal: controller.signal }).catch((error: unknown) => error);
    controller.abort();
    const error = await closing;

    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toEqual([expect.any(AbortedError)]);
    expect(bus.stats().subscribers).toBe(0);
  });
});
