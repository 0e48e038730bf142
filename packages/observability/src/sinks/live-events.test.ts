import { type AgentEvent, ConfigError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { makeEvent, makeRun, tick } from './__fixtures__/events.js';
import { LiveEvents, type LiveSubscription } from './live-events.js';

async function collect(subscription: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of subscription) events.push(event);
  return events;
}

/** Reads what is queued right now, without waiting for more. */
async function drainQueued(subscription: LiveSubscription): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  while (subscription.pending > 0) {
    const result = await subscription.next();
    if (!result.done) events.push(result.value);
  }
  return events;
}

describe('LiveEvents: delivery', () => {
  it('delivers a run to its subscriber in order and ends after the terminal event', async () => {
    const live = new LiveEvents();
    const run = makeRun('r-1', 6);
    const subscription = live.subscribe({ runId: 'r-1' });
    const received = collect(subscription);

    for (const event of makeRun('other', 3)) live.publish(event);
    for (const event of run) live.publish(event);

    expect(await received).toEqual(run);
    expect(live.stats().subscribers).toBe(0);
  });

  it('delivers to a reader that is already waiting, then ends after the run', async () => {
    const live = new LiveEvents();
    const subscription = live.subscribe({ runId: 'r' });
    const next = subscription.next();

    live.publish(makeEvent('run.started', { runId: 'r' }));
    const waitingForEnd = subscription.next();
    live.publish(makeEvent('run.completed', { runId: 'r', seq: 1 }));

    expect(await next).toEqual({ done: false, value: makeEvent('run.started', { runId: 'r' }) });
    expect((await waitingForEnd).value).toMatchObject({ type: 'run.completed' });
    expect(await subscription.next()).toEqual({ done: true, value: undefined });
  });

  it('filters by tenant and by a filter function, and keeps an unscoped subscription open across runs', async () => {
    const live = new LiveEvents();
    const acme = live.subscribe({ tenant: 'acme' });
    const failures = live.subscribe({ filter: (event) => event.type === 'run.failed' });

    for (const event of makeRun('a', 3, { tenant: 'acme' })) live.publish(event);
    for (const event of makeRun('b', 3, { tenant: 'globex' })) live.publish(event);
    live.publish(makeEvent('run.failed', { runId: 'c', tenant: 'globex' }));

    expect((await drainQueued(acme)).map((event) => event.runId)).toEqual(['a', 'a', 'a']);
    expect((await drainQueued(failures)).map((event) => event.runId)).toEqual(['c']);
    expect(live.stats().subscribers).toBe(2);
  });

  it('skips an event whose filter throws, reports it, and keeps publishing to others', async () => {
    const errors: unknown[] = [];
    const live = new LiveEvents({ onError: (error) => errors.push(error) });
    const throwing = live.subscribe({
      filter: (event) => {
        if (event.seq === 1) throw new Error('bad filter');
        return true;
      },
    });
    const plain = live.subscribe();

    for (const event of makeRun('r', 3)) expect(() => live.publish(event)).not.toThrow();

    expect((await drainQueued(throwing)).map((event) => event.seq)).toEqual([0, 2]);
    expect((await drainQueued(plain)).map((event) => event.seq)).toEqual([0, 1, 2]);
    expect(errors).toEqual([new Error('bad filter')]);
  });
});

describe('LiveEvents: ending', () => {
  it('ends when the signal aborts, waking a waiting reader', async () => {
    const live = new LiveEvents();
    const controller = new AbortController();
    const subscription = live.subscribe({ signal: controller.signal });
    const next = subscription.next();

    controller.abort();

    expect(await next).toEqual({ done: true, value: undefined });
    expect(live.stats().subscribers).toBe(0);
    live.publish(makeEvent('run.started'));
    expect(subscription.pending).toBe(0);
  });

  it('returns an ended iterator for an already aborted signal or a closed LiveEvents', async () => {
    const live = new LiveEvents();

    const aborted = live.subscribe({ signal: AbortSignal.abort() });
    live.close();
    const late = live.subscribe();
    live.publish(makeEvent('run.started'));

    expect(await collect(aborted)).toEqual([]);
    expect(await collect(late)).toEqual([]);
    expect(live.stats().subscribers).toBe(0);
  });

  it('ends on close(), discarding what is queued; close twice is harmless', async () => {
    const live = new LiveEvents();
    const subscription = live.subscribe({ runId: 'r' });
    live.publish(makeEvent('run.started', { runId: 'r' }));

    subscription.close();
    subscription.close();

    expect(await subscription.next()).toEqual({ done: true, value: undefined });
    expect(live.stats().subscribers).toBe(0);
  });

  it('ends a for-await loop that breaks early and stops queueing for it', async () => {
    const live = new LiveEvents();
    const subscription = live.subscribe();
    for (const event of makeRun('r', 5)) live.publish(event);

    for await (const event of subscription) if (event.seq === 1) break;
    live.publish(makeEvent('run.started', { runId: 'after' }));

    expect(subscription.pending).toBe(0);
    expect(live.stats().subscribers).toBe(0);
  });

  it('ends every subscription on liveEvents.close()', async () => {
    const live = new LiveEvents();
    const one = live.subscribe({ runId: 'r' });
    const two = live.subscribe({ runId: 'r' });
    const all = live.subscribe();
    const pending = [one.next(), two.next(), all.next()];

    live.close();

    expect(await Promise.all(pending)).toEqual([
      { done: true, value: undefined },
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
    expect(live.stats().subscribers).toBe(0);
  });
});

describe('LiveEvents: slow readers', () => {
  it('bounds a reader that never reads while 100k events are published, counting what it drops', async () => {
    const drops: number[] = [];
    const live = new LiveEvents({ maxQueue: 1000, onDrop: (count) => drops.push(count) });
    const total = 100_000;
    const stalled = live.subscribe();
    // A reader given room for the whole run gets all of it, in order, while the stalled one drops.
    const reader = live.subscribe({ runId: 'big', maxQueue: total });
    const readerEvents = collect(reader);

    for (let seq = 0; seq < total - 1; seq++) live.publish(makeEvent('step.started', { runId: 'big', seq }));
    live.publish(makeEvent('run.completed', { runId: 'big', seq: total - 1 }));

    expect(stalled.pending).toBe(1000);
    expect(stalled.dropped).toBe(total - 1000);
    // The backing array is compacted too, not just the logical count: a leak there would hide behind `pending`.
    expect((stalled as unknown as { queue: unknown[] }).queue.length).toBeLessThanOrEqual(2 * 1000 + 1025);
    expect(live.stats().dropped).toBe(total - 1000);
    expect(drops).toHaveLength(total - 1000);
    expect((await readerEvents).map((event) => event.seq)).toEqual(
      Array.from({ length: total }, (_, index) => index),
    );
    const kept = await drainQueued(stalled);
    expect(kept.map((event) => event.seq)).toEqual(
      Array.from({ length: 1000 }, (_, index) => total - 1000 + index),
    );
  });

  it('honours a per-subscription maxQueue and keeps a slow reader from affecting a fast one', async () => {
    const live = new LiveEvents();
    const slow = live.subscribe({ maxQueue: 2 });
    const fast = live.subscribe({ runId: 'r' });
    const fastEvents = collect(fast);

    for (const event of makeRun('r', 10)) {
      live.publish(event);
      await tick();
    }

    expect((await fastEvents).length).toBe(10);
    expect(slow.dropped).toBe(8);
    expect((await drainQueued(slow)).map((event) => event.seq)).toEqual([8, 9]);
  });

  it('survives a throwing onDrop', () => {
    const live = new LiveEvents({
      maxQueue: 1,
      onDrop: () => {
        throw new Error('metrics broke');
      },
    });
    const subscription = live.subscribe();

    live.publish(makeEvent('run.started', { seq: 0 }));
    live.publish(makeEvent('step.started', { seq: 1 }));

    expect(subscription.dropped).toBe(1);
  });

  it('rejects a bad maxQueue with a ConfigError', () => {
    expect(() => new LiveEvents({ maxQueue: 0 })).toThrow(ConfigError);
    expect(() => new LiveEvents().subscribe({ maxQueue: -1 })).toThrow(/"maxQueue" must be an integer >= 1/);
  });
});
