import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorHandler } from './error-handler.js';
import { notFoundHandler } from './not-found.js';
import { requestId } from './request-id.js';
import { traceContext } from './trace-context.js';

const exporter = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );
});
afterAll(() => {
  trace.disable();
  propagation.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

function app() {
  const hono = new Hono();
  hono.use(requestId(), traceContext());
  hono.get('/v1/runs/:id', async (c) => {
    await new Promise((resolve) => setImmediate(resolve));
    const active = trace.getActiveSpan()?.spanContext();
    const child = trace.getTracer('test').startSpan('child');
    child.end();
    return c.json({ traceId: active?.traceId });
  });
  hono.get('/v1/fail', () => {
    throw new Error('boom');
  });
  hono.onError(errorHandler({ error: () => {}, warn: () => {} }));
  hono.notFound(notFoundHandler());
  return hono;
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

describe('traceContext', () => {
  it('continues the trace of a traceparent header in a SERVER span named after the route', async () => {
    const response = await app().request('/v1/runs/run-1', {
      headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, 'X-Request-Id': 'req-1' },
    });

    expect(await response.json()).toEqual({ traceId: TRACE_ID });
    const spans = exporter.getFinishedSpans();
    const server = spans.find((span) => span.kind === SpanKind.SERVER);
    const child = spans.find((span) => span.name === 'child');
    expect(server?.name).toBe('GET /v1/runs/:id');
    expect(server?.spanContext().traceId).toBe(TRACE_ID);
    expect(server?.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(child?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(server?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/v1/runs/:id',
      'url.path': '/v1/runs/run-1',
      'http.response.status_code': 200,
      'http.request.id': 'req-1',
    });
    expect(server?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('starts a new trace without a traceparent', async () => {
    await app().request('/v1/runs/run-1');

    const [server] = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
    expect(server?.parentSpanContext).toBeUndefined();
    expect(server?.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('ends the span with an error status and the exception for a 5xx', async () => {
    const response = await app().request('/v1/fail');

    const server = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER);
    expect(response.status).toBe(500);
    expect(server?.name).toBe('GET /v1/fail');
    expect(server?.status.code).toBe(SpanStatusCode.ERROR);
    expect(server?.attributes['http.response.status_code']).toBe(500);
    expect(server?.events.map((event) => event.name)).toContain('exception');
  });

  it('names an unrouted request by its method only', async () => {
    const response = await app().request('/nowhere', { method: 'DELETE' });

    const server = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER);
    expect(response.status).toBe(404);
    expect(server?.name).toBe('DELETE');
    expect(server?.attributes['http.route']).toBeUndefined();
    expect(server?.status.code).toBe(SpanStatusCode.UNSET);
  });
});
