/** One Server-Sent Events message. Every field is optional; a message with only `comment` is a heartbeat. */
export interface SseMessage {
  /** Becomes the client's `Last-Event-ID`. */
  id?: number | string;
  /** The `event:` name; clients listen with `addEventListener(event, ...)`. */
  event?: string;
  /** The payload, already serialised (JSON here); newlines are split into several `data:` lines. */
  data?: string;
  /** A `:` comment line, ignored by clients; keeps idle connections (and proxies) alive. */
  comment?: string;
}

/** Options of {@link createSseStream}. */
export interface SseStreamOptions {
  /** A comment is sent after this long without any other write, so proxies keep the connection. @default 15_000 */
  heartbeatMs?: number;
  /**
   * Bytes queued for one client. A producer that awaits {@link SseSink.ready} waits while more
   * than half of it is queued; a `send` over it drops the client. @default 1 MiB
   */
  maxBufferedBytes?: number;
  /**
   * How long {@link SseSink.ready} waits for a client that does not read before dropping it (its
   * stream errors, the producer stops). A reconnect with `Last-Event-ID` resumes where it got to.
   * @default 30_000
   */
  slowClientMs?: number;
  /** Ends the stream when aborted: the request's signal, so a disconnect stops the producer. */
  signal?: AbortSignal;
  /**
   * Called when a slow client is dropped, with the number of events that were queued for it. The
   * stream has ended; close the connection here if the platform allows (the client may never read
   * to the end of the stream).
   */
  onDropped?: (queuedEvents: number) => void;
  /** Called when the producer throws; the client then gets an `error` event and the stream ends. */
  onError?: (error: unknown) => void;
}

/** What a producer writes to. */
export interface SseSink {
  /** Queues a message; false once the stream is over (client gone, dropped or finished): stop producing. */
  send(message: SseMessage): boolean;
  /**
   * Resolves true when the client has room (at once, unless more than half the bound is queued,
   * else once it reads); false when the stream is over or the client read nothing for
   * `slowClientMs` and was dropped. Await it before each `send`: replays then go at the client's
   * pace, and live feeds wait in their own bounded queues.
   */
  ready(): Promise<boolean>;
  /** Aborted when the stream is over; pass it to whatever the producer waits on. */
  readonly signal: AbortSignal;
}

/** Headers of every SSE response: no caching, no transformation, no proxy buffering. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
};

/** Defaults of {@link SseStreamOptions}. */
export const SSE_DEFAULTS = {
  heartbeatMs: 15_000,
  maxBufferedBytes: 1024 * 1024,
  slowClientMs: 30_000,
} as const;

const encoder = new TextEncoder();

/** The wire form of a message: fields one per line, then a blank line. */
export function formatSseMessage(message: SseMessage): string {
  let text = '';
  if (message.comment !== undefined) text += `: ${singleLine(message.comment)}\n`;
  if (message.id !== undefined) text += `id: ${singleLine(String(message.id))}\n`;
  if (message.event !== undefined) text += `event: ${singleLine(message.event)}\n`;
  if (message.data !== undefined) {
    for (const line of message.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  }
  return `${text}\n`;
}

function singleLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

interface Queued {
  bytes: Uint8Array;
  isEvent: boolean;
}

/**
 * A byte stream of SSE messages written by `produce`, through a per-client queue bounded by
 * `maxBufferedBytes`: a producer that awaits `sink.ready()` goes at the client's pace, and a
 * client that reads nothing for `slowClientMs` (or lets a producer overrun the bound) is dropped
 * rather than buffered without end (its stream ends, without the final messages). The stream ends when `produce` returns, when the client
 * disconnects (`signal`, or the body being cancelled), or when the client is dropped; each way
 * `sink.signal` aborts so the producer stops waiting for events.
 *
 * @example
 * ```ts
 * const body = createSseStream(async (sink) => {
 *   for await (const event of feed(sink.signal)) {
 *     if (!(await sink.ready())) break;
 *     sink.send({ id: event.seq, event: event.type, data: JSON.stringify(event) });
 *   }
 * }, { signal: c.req.raw.signal });
 * return c.body(body, 200, SSE_HEADERS);
 * ```
 */
export function createSseStream(
  produce: (sink: SseSink) => Promise<void>,
  options: SseStreamOptions = {},
): ReadableStream<Uint8Array> {
  const heartbeatMs = options.heartbeatMs ?? SSE_DEFAULTS.heartbeatMs;
  const maxBufferedBytes = options.maxBufferedBytes ?? SSE_DEFAULTS.maxBufferedBytes;
  const slowClientMs = options.slowClientMs ?? SSE_DEFAULTS.slowClientMs;
  const stop = new AbortController();
  let queue: Queued[] = [];
  let queuedBytes = 0;
  let ended = false;
  let closed = false;
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let wakeReader: (() => void) | undefined;
  const roomWaiters = new Set<(ok: boolean) => void>();
  let heartbeat: ReturnType<typeof setTimeout> | undefined;

  const wake = (): void => {
    const resolve = wakeReader;
    wakeReader = undefined;
    resolve?.();
  };

  const settleWaiters = (ok: boolean): void => {
    for (const waiter of [...roomWaiters]) waiter(ok);
  };

  const armHeartbeat = (): void => {
    clearTimeout(heartbeat);
    if (ended) return;
    heartbeat = setTimeout(() => {
      // Pending data says more than a heartbeat would.
      if (queue.length === 0) enqueue({ comment: 'heartbeat' }, false);
      else armHeartbeat();
    }, heartbeatMs);
    // A forgotten stream must not keep the process alive.
    heartbeat.unref?.();
  };

  // No more messages: the reader gets what is queued, then the end.
  const end = (): void => {
    if (ended) return;
    ended = true;
    clearTimeout(heartbeat);
    options.signal?.removeEventListener('abort', end);
    stop.abort();
    settleWaiters(false);
    wake();
  };

  // Discards what is queued and ends the stream now. Closed rather than errored: an errored body
  // makes @hono/node-server log a stack and append an error text to the stream. `onDropped` can
  // cut the connection itself.
  const drop = (): void => {
    const queuedEvents = queue.filter((item) => item.isEvent).length;
    queue = [];
    queuedBytes = 0;
    end();
    if (!closed) {
      closed = true;
      controller?.close();
    }
    options.onDropped?.(queuedEvents);
  };

  function enqueue(message: SseMessage, isEvent: boolean): boolean {
    if (ended) return false;
    // Over the bound before adding: the producer outran a client that does not read. Checked
    // before adding, so one large message never drops a client by itself.
    if (queuedBytes > maxBufferedBytes) {
      drop();
      return false;
    }
    const bytes = encoder.encode(formatSseMessage(message));
    queue.push({ bytes, isEvent });
    queuedBytes += bytes.byteLength;
    armHeartbeat();
    wake();
    return true;
  }

  const sink: SseSink = {
    send: (message) => enqueue(message, message.comment === undefined),
    ready() {
      if (ended) return Promise.resolve(false);
      if (queuedBytes <= maxBufferedBytes / 2) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          roomWaiters.delete(waiter);
          drop();
          resolve(false);
        }, slowClientMs);
        const waiter = (ok: boolean): void => {
          clearTimeout(timer);
          roomWaiters.delete(waiter);
          resolve(ok);
        };
        roomWaiters.add(waiter);
      });
    },
    signal: stop.signal,
  };

  if (options.signal?.aborted) end();
  else options.signal?.addEventListener('abort', end, { once: true });

  return new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
        // A first comment gets the headers out at once, before the first event is due.
        enqueue({ comment: 'stream opened' }, false);
        void run(produce, sink, options.onError).finally(end);
      },
      async pull(streamController) {
        while (queue.length === 0 && !ended) {
          await new Promise<void>((resolve) => {
            wakeReader = resolve;
          });
        }
        if (closed) return;
        if (queue.length > 0) {
          const chunk = concat(
            queue.map((item) => item.bytes),
            queuedBytes,
          );
          queue = [];
          queuedBytes = 0;
          streamController.enqueue(chunk);
          settleWaiters(true);
          return;
        }
        closed = true;
        streamController.close();
      },
      cancel() {
        closed = true;
        queue = [];
        queuedBytes = 0;
        end();
      },
    },
    { highWaterMark: 0 },
  );
}

async function run(
  produce: (sink: SseSink) => Promise<void>,
  sink: SseSink,
  onError: ((error: unknown) => void) | undefined,
): Promise<void> {
  try {
    await produce(sink);
  } catch (error) {
    if (sink.signal.aborted) return;
    onError?.(error);
    sink.send({
      event: 'error',
      data: JSON.stringify({
        code: 'stream-failed',
        detail: 'The event stream failed on the server. Reconnect with Last-Event-ID to resume.',
      }),
    });
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
