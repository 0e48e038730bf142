import { describe, expect, it, vi } from 'vitest';
import { createSseStream, formatSseMessage, type SseSink } from '../src/http/sse.js';
import { parseSse, sseReader } from './support/sse.js';

describe('formatSseMessage', () => {
  it('writes id, event and data lines and a blank line', () => {
    expect(formatSseMessage({ id: 3, event: 'run.started', data: '{"a":1}' })).toBe(
      'id: 3\nevent: run.started\ndata: {"a":1}\n\n',
    );
  });

  it('splits multi-line data into data lines and keeps ids and names on one line', () => {
    const text = formatSseMessage({ id: '1\n2', event: 'a\r\nb', data: 'x\ny\r\nz', comment: 'c\nd' });

    expect(text).toBe(': c d\nid: 1 2\nevent: a b\ndata: x\ndata: y\ndata: z\n\n');
    expect(parseSse(text)[0]?.data).toBe('x\ny\nz');
  });
});

/** A producer that holds until the test lets it finish. */
function controlledProducer() {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let started!: (sink: SseSink) => void;
  const ready = new Promise<SseSink>((resolve) => {
    started = resolve;
  });
  let current: SseSink | undefined;
  const produce = async (sink: SseSink): Promise<void> => {
    current = sink;
    started(sink);
    await finished;
  };
  return {
    produce,
    ready,
    finish,
    get sink(): SseSink {
      return current as SseSink;
    },
  };
}

describe('createSseStream', () => {
  it('opens with a comment and ends after the producer returns', async () => {
    const stream = createSseStream(async (sink) => {
      sink.send({ event: 'x', data: '1' });
    });

    const messages = parseSse(await new Response(stream).text());

    expect(messages).toEqual([{ comments: ['stream opened'] }, { event: 'x', data: '1', comments: [] }]);
  });

  it('drops a client when a producer that does not wait overruns maxBufferedBytes', async () => {
    const onDropped = vi.fn();
    const producer = controlledProducer();
    const stream = createSseStream(producer.produce, { maxBufferedBytes: 1000, onDropped });
    const sink = await producer.ready;
    const reader = stream.getReader();

    const accepted: boolean[] = [];
    for (let index = 0; index < 20; index++) accepted.push(sink.send({ event: 'e', data: 'x'.repeat(100) }));

    expect(accepted.indexOf(false)).toBeGreaterThan(5);
    expect(accepted.slice(accepted.indexOf(false)).every((ok) => !ok)).toBe(true);
    expect(sink.signal.aborted).toBe(true);
    expect(onDropped).toHaveBeenCalledTimes(1);
    expect(onDropped.mock.calls[0]?.[0]).toBeGreaterThan(5);
    // What was queued is discarded and the stream ends.
    expect(await reader.read()).toEqual({ done: true, value: undefined });
    producer.finish();
  });

  it('makes a waiting producer go at the pace of its client', async () => {
    const producer = controlledProducer();
    const reader = sseReader(createSseStream(producer.produce, { maxBufferedBytes: 1000 }));
    const sink = await producer.ready;

    expect(await sink.ready()).toBe(true);
    sink.send({ event: 'e', data: 'x'.repeat(600) });
    let ready: boolean | undefined;
    const waiting = sink.ready().then((ok) => {
      ready = ok;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(ready).toBeUndefined();

    await reader.next();
    await reader.next();
    await waiting;

    expect(ready).toBe(true);
    producer.finish();
    await reader.close();
  });

  it('drops a client that reads nothing for slowClientMs while its producer waits', async () => {
    vi.useFakeTimers();
    try {
      const onDropped = vi.fn();
      const producer = controlledProducer();
      const stream = createSseStream(producer.produce, {
        maxBufferedBytes: 1000,
        slowClientMs: 5000,
        onDropped,
      });
      const sink = await producer.ready;
      sink.send({ event: 'e', data: 'x'.repeat(600) });

      const ready = sink.ready();
      await vi.advanceTimersByTimeAsync(5000);

      expect(await ready).toBe(false);
      expect(onDropped).toHaveBeenCalledWith(1);
      expect(sink.signal.aborted).toBe(true);
      expect(await sink.ready()).toBe(false);
      expect(await new Response(stream).text()).toBe('');
      producer.finish();
    } finally {
      vi.useRealTimers();
    }
  });

  it('releases a waiting producer with false when the client leaves', async () => {
    const request = new AbortController();
    const producer = controlledProducer();
    createSseStream(producer.produce, { maxBufferedBytes: 100, signal: request.signal });
    const sink = await producer.ready;
    sink.send({ event: 'e', data: 'x'.repeat(200) });
    const ready = sink.ready();

    request.abort();

    expect(await ready).toBe(false);
    producer.finish();
  });

  it('keeps a client that reads, however much passes through', async () => {
    const onDropped = vi.fn();
    const stream = createSseStream(
      async (sink) => {
        for (let index = 0; index < 200; index++) {
          if (!(await sink.ready())) return;
          sink.send({ event: 'e', data: 'x'.repeat(100) });
        }
      },
      { maxBufferedBytes: 1000, onDropped },
    );

    const messages = parseSse(await new Response(stream).text());

    expect(messages.filter((message) => message.event === 'e')).toHaveLength(200);
    expect(onDropped).not.toHaveBeenCalled();
  });

  it('sends one message larger than the bound rather than dropping the client for it', async () => {
    const stream = createSseStream(
      async (sink) => {
        sink.send({ event: 'big', data: 'x'.repeat(5000) });
      },
      { maxBufferedBytes: 1000 },
    );

    const text = await new Response(stream).text();

    expect(parseSse(text).at(-1)?.data).toHaveLength(5000);
  });

  it('ends the producer when the request signal aborts', async () => {
    const request = new AbortController();
    const producer = controlledProducer();
    const stream = createSseStream(producer.produce, { signal: request.signal });
    const sink = await producer.ready;

    request.abort();

    expect(sink.signal.aborted).toBe(true);
    expect(sink.send({ event: 'late' })).toBe(false);
    expect(await new Response(stream).text()).toBe(': stream opened\n\n');
    producer.finish();
  });

  it('ends at once for an already aborted signal', async () => {
    const request = new AbortController();
    request.abort();
    const produce = vi.fn(async (sink: SseSink) => {
      expect(sink.signal.aborted).toBe(true);
    });

    const stream = createSseStream(produce, { signal: request.signal });

    expect(await new Response(stream).text()).toBe('');
    expect(produce).toHaveBeenCalled();
  });

  it('ends the producer when the client cancels the body', async () => {
    const producer = controlledProducer();
    const reader = sseReader(createSseStream(producer.produce));
    const sink = await producer.ready;

    await reader.close();

    expect(sink.signal.aborted).toBe(true);
    producer.finish();
  });

  it('reports a producer failure and tells the client with an error event', async () => {
    const onError = vi.fn();
    const stream = createSseStream(
      async () => {
        throw new Error('secret internals');
      },
      { onError },
    );

    const text = await new Response(stream).text();

    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'secret internals' }));
    expect(parseSse(text).at(-1)?.event).toBe('error');
    expect(text).not.toContain('secret internals');
  });

  it('sends a heartbeat after heartbeatMs without traffic', async () => {
    vi.useFakeTimers();
    try {
      const producer = controlledProducer();
      const reader = sseReader(createSseStream(producer.produce, { heartbeatMs: 15_000 }));
      await producer.ready;
      expect(await reader.next()).toMatchObject({ comments: ['stream opened'] });

      const next = reader.next();
      await vi.advanceTimersByTimeAsync(14_999);
      producer.sink.send({ event: 'tick' });
      expect(await next).toMatchObject({ event: 'tick' });
      const heartbeat = reader.next();
      await vi.advanceTimersByTimeAsync(15_000);

      expect(await heartbeat).toMatchObject({ comments: ['heartbeat'] });
      producer.finish();
      await reader.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
