import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { step } from './__fixtures__/agent-events.js';
import type { AgentEvent } from './agent-event.js';
import { EventBus, type Subscription } from './event-bus.js';

const stepEvent = (seq: number): AgentEvent => step('run-1', seq);

const throwing = (message: string) => (): never => {
  throw new Error(message);
};

/** A handler that records the seq of each event it receives. */
function recorder() {
  const received: number[] = [];
  return { received, handler: (event: AgentEvent) => void received.push(event.seq) };
}

/** A slow handler: records each event, then waits until `release()` is called. */
function gatedRecorder() {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const received: number[] = [];
  const handler = async (event: AgentEvent) => {
    received.push(event.seq);
    await gate;
  };
  return { received, handler, release: () => release() };
}

// setImmediate runs after every queued microtask, so all drains that can progress have progressed.
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('EventBus: failure paths', () => {
  it('rejects a bus maxQueue below 1 with a ConfigError', () => {
    expect(() => new EventBus({ maxQueue: 0 })).toThrow(ConfigError);
  });

  it('rejects a subscription maxQueue that is not a positive integer with a ConfigError', () => {
    const bus = new EventBus();

    expect(() => bus.subscribe(() => {}, { maxQueue: 1.5 })).toThrow(/maxQueue must be a positive integer/);
  });

  it('calls onError with the error and the event when a handler throws, and keeps delivering', async () => {
    const bus = new EventBus();
    const received: number[] = [];
    const onError = vi.fn();
    const failure = new Error('handler broke');
    bus.subscribe(
      (event) => {
        received.push(event.seq);
        if (event.seq === 0) throw failure;
      },
      { onError },
    );

    bus.publish(stepEvent(0));
    bus.publish(stepEvent(1));
    await settle();

    expect(onError).toHaveBeenCalledExactlyOnceWith(failure, stepEvent(0));
    expect(received).toEqual([0, 1]);
  });

  it('calls onError when an async handler rejects', async () => {
    const bus = new EventBus();
    const onError = vi.fn();
    bus.subscribe(async () => Promise.reject(new Error('async failure')), { onError });

    bus.publish(stepEvent(0));
    await settle();

    expect(onError).toHaveBeenCalledWith(new Error('async failure'), stepEvent(0));
  });

  it('keeps delivering when onError itself throws', async () => {
    const bus = new EventBus();
    const { received, handler } = recorder();
    bus.subscribe(
      (event) => {
        handler(event);
        throw new Error('handler broke');
      },
      { onError: throwing('onError broke too') },
    );

    bus.publish(stepEvent(0));
    await settle();
    bus.publish(stepEvent(1));
    await settle();

    expect(received).toEqual([0, 1]);
  });

  it('never throws from publish when a filter throws, and still delivers to the other subscribers', async () => {
    const bus = new EventBus();
    const onError = vi.fn();
    const { received, handler } = recorder();
    bus.subscribe(() => {}, { filter: throwing('filter broke'), onError });
    bus.subscribe(handler);

    expect(() => bus.publish(stepEvent(0))).not.toThrow();
    await settle();

    expect(received).toEqual([0]);
    expect(onError).toHaveBeenCalledWith(new Error('filter broke'), stepEvent(0));
  });

  it('never throws from publish when onDrop throws', () => {
    const bus = new EventBus({ maxQueue: 1, onDrop: throwing('metric broke') });
    bus.subscribe(() => {});

    bus.publish(stepEvent(0));

    expect(() => bus.publish(stepEvent(1))).not.toThrow();
    expect(bus.stats().dropped).toBe(1);
  });
});

describe('EventBus: a slow subscriber', () => {
  it('does not block publish while its handler awaits', async () => {
    const bus = new EventBus();
    const { received, handler } = gatedRecorder();
    const subscription = bus.subscribe(handler);

    bus.publish(stepEvent(0));
    await settle();
    for (let seq = 1; seq <= 3; seq++) bus.publish(stepEvent(seq));

    expect(received).toEqual([0]);
    expect(subscription.pending).toBe(3);
    expect(bus.stats().published).toBe(4);
  });

  it('drops the oldest queued events past maxQueue and counts them in the subscription, the stats and onDrop', async () => {
    const onDrop = vi.fn();
    const bus = new EventBus({ maxQueue: 2, onDrop });
    const { received, handler, release } = gatedRecorder();
    const subscription = bus.subscribe(handler);
    bus.publish(stepEvent(0));
    await settle();

    for (let seq = 1; seq <= 5; seq++) bus.publish(stepEvent(seq));
    release();
    await settle();

    expect(subscription.dropped).toBe(3);
    expect(bus.stats().dropped).toBe(3);
    expect(onDrop.mock.calls.map(([event]) => (event as AgentEvent).seq)).toEqual([1, 2, 3]);
    expect(received).toEqual([0, 4, 5]);
  });

  it('uses the subscription maxQueue over the bus default', async () => {
    const bus = new EventBus({ maxQueue: 100 });
    const subscription = bus.subscribe(gatedRecorder().handler, { maxQueue: 1 });
    bus.publish(stepEvent(0));
    await settle();

    bus.publish(stepEvent(1));
    bus.publish(stepEvent(2));

    expect(subscription.pending).toBe(1);
    expect(subscription.dropped).toBe(1);
  });

  it('keeps its queue storage bounded while its handler never returns', async () => {
    const bus = new EventBus({ maxQueue: 10 });
    const subscription = bus.subscribe(() => new Promise<void>(() => {}));
    bus.publish(stepEvent(0));
    await settle();

    for (let seq = 1; seq <= 20_000; seq++) bus.publish(stepEvent(seq));

    // No public view of the backing array exists; `pending` alone would hide a leak.
    const storage = (subscription as unknown as { queue: unknown[] }).queue;
    expect(subscription.pending).toBe(10);
    expect(storage.length).toBeLessThan(2_100);
  });
});

describe('EventBus', () => {
  it('delivers events to a subscriber in publish order, one at a time', async () => {
    const bus = new EventBus();
    const received: number[] = [];
    let running = 0;
    let mostAtOnce = 0;
    bus.subscribe(async (event) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      await Promise.resolve();
      received.push(event.seq);
      running--;
    });

    for (let seq = 0; seq < 5; seq++) bus.publish(stepEvent(seq));
    await settle();

    expect(received).toEqual([0, 1, 2, 3, 4]);
    expect(mostAtOnce).toBe(1);
  });

  it('delivers each event to every subscriber', async () => {
    const bus = new EventBus();
    const first = recorder();
    const second = recorder();
    bus.subscribe(first.handler);
    bus.subscribe(second.handler);

    bus.publish(stepEvent(0));
    await settle();

    expect(first.received).toEqual([0]);
    expect(second.received).toEqual([0]);
  });

  it('queues only the events the filter accepts', async () => {
    const bus = new EventBus();
    const { received, handler } = recorder();
    bus.subscribe(handler, { filter: (event) => event.seq % 2 === 0 });

    for (let seq = 0; seq < 5; seq++) bus.publish(stepEvent(seq));
    await settle();

    expect(received).toEqual([0, 2, 4]);
  });

  it('stops delivery and discards queued events on unsubscribe', async () => {
    const bus = new EventBus();
    const handler = vi.fn();
    const subscription = bus.subscribe(handler);
    bus.publish(stepEvent(0));

    subscription.unsubscribe();
    subscription.unsubscribe();
    bus.publish(stepEvent(1));
    await settle();

    expect(handler).not.toHaveBeenCalled();
    expect(subscription.pending).toBe(0);
    expect(bus.stats().subscribers).toBe(0);
  });

  it('stops after the in-flight event when unsubscribed while its handler awaits', async () => {
    const bus = new EventBus();
    const { received, handler, release } = gatedRecorder();
    const subscription = bus.subscribe(handler);
    bus.publish(stepEvent(0));
    await settle();
    bus.publish(stepEvent(1));

    subscription.unsubscribe();
    release();
    await settle();

    expect(received).toEqual([0]);
  });

  it('lets a handler subscribe during delivery; the new subscriber gets only later events', async () => {
    const bus = new EventBus();
    const late = recorder();
    let added: Subscription | undefined;
    bus.subscribe((event) => {
      if (event.seq === 0) added = bus.subscribe(late.handler);
    });

    bus.publish(stepEvent(0));
    await settle();
    bus.publish(stepEvent(1));
    await settle();

    expect(added).toBeDefined();
    expect(late.received).toEqual([1]);
  });

  it('does not deliver the current event to a subscriber added while publish is iterating', async () => {
    const bus = new EventBus();
    const late = recorder();
    let subscribed = false;
    bus.subscribe(() => {}, {
      filter: () => {
        if (!subscribed) {
          subscribed = true;
          bus.subscribe(late.handler);
        }
        return true;
      },
    });

    bus.publish(stepEvent(0));
    bus.publish(stepEvent(1));
    await settle();

    expect(late.received).toEqual([1]);
    expect(bus.stats().subscribers).toBe(2);
  });
});

describe('EventBus.tap', () => {
  it('calls the observer synchronously inside publish, in order, before any subscriber runs', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.subscribe((event) => void seen.push(`subscriber ${event.seq}`));
    bus.tap((event) => seen.push(`tap ${event.seq}`));

    bus.publish(stepEvent(0));
    bus.publish(stepEvent(1));

    expect(seen).toEqual(['tap 0', 'tap 1']);
    expect(bus.stats().taps).toBe(1);
  });

  it('never drops an event, however many are published', () => {
    const bus = new EventBus({ maxQueue: 1 });
    let count = 0;
    bus.tap(() => count++);

    for (let seq = 0; seq < 1000; seq++) bus.publish(stepEvent(seq));

    expect(count).toBe(1000);
    expect(bus.stats().dropped).toBe(0);
  });

  it('reports a throwing observer to onError and keeps calling it and the other observers', () => {
    const bus = new EventBus();
    const onError = vi.fn();
    const after = recorder();
    bus.tap(throwing('tap broke'), { onError });
    bus.tap(after.handler);

    expect(() => bus.publish(stepEvent(0))).not.toThrow();
    bus.publish(stepEvent(1));

    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError).toHaveBeenCalledWith(new Error('tap broke'), stepEvent(0));
    expect(after.received).toEqual([0, 1]);
  });

  it('survives an onError that throws too', () => {
    const bus = new EventBus();
    bus.tap(throwing('tap broke'), { onError: throwing('onError broke') });

    expect(() => bus.publish(stepEvent(0))).not.toThrow();
  });

  it('stops calling the observer after untap; untap twice is harmless', () => {
    const bus = new EventBus();
    const { received, handler } = recorder();
    const tap = bus.tap(handler);

    bus.publish(stepEvent(0));
    tap.untap();
    tap.untap();
    bus.publish(stepEvent(1));

    expect(received).toEqual([0]);
    expect(bus.stats().taps).toBe(0);
  });
});
