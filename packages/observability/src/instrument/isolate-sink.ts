import type { AgentEvent } from '@agent/core';
import { context as otelContext, ROOT_CONTEXT } from '@opentelemetry/api';
import type { LogContext } from '../context/log-context.js';
import type { EventSink } from '../sinks/event-sink.js';

/**
 * A sink that handles each event in that event's own context. A bus subscriber's queue is
 * drained by an async chain that inherits the context of whichever run's publish started it, so
 * without this a log line about run B could carry run A's request id, and a store query made for
 * run B could nest under run A's span. Here every event is handled with only its own run's ids
 * and no active span.
 */
export function isolateSink(sink: EventSink, logContext: LogContext): EventSink {
  const isolated: EventSink = {
    handle: (event: AgentEvent) =>
      otelContext.with(ROOT_CONTEXT, () =>
        logContext.runAlone({ runId: event.runId, agent: event.agent, tenant: event.tenant }, () =>
          sink.handle(event),
        ),
      ),
  };
  if (sink.flush) isolated.flush = sink.flush.bind(sink);
  if (sink.close) isolated.close = sink.close.bind(sink);
  return isolated;
}
