import { ScriptedModel, textResponse, toolCallsResponse } from '@agent/core/testing';
import { context, type Span, SpanKind, type Tracer, trace } from '@opentelemetry/api';

/**
 * A model that asks for `echo` and `broken` in one step, then answers; `onCall` runs inside the
 * second call, where an SDK's HTTP request would be made.
 */
export function toolRunModel(onCall?: () => void) {
  return new ScriptedModel(
    [
      toolCallsResponse([
        { name: 'echo', arguments: { text: 'hi' }, id: 'call-echo' },
        { name: 'broken', arguments: {}, id: 'call-broken' },
      ]),
      (_request, index) => {
        onCall?.();
        return textResponse(`done after ${index} calls`, { inputTokens: 30, outputTokens: 7 });
      },
    ],
    { provider: 'openai', modelId: 'gpt-test' },
  );
}

/** Runs `fn` inside an outer server span, as an HTTP framework's instrumentation would. */
export async function insideRequestSpan<T>(
  tracer: Tracer,
  fn: () => Promise<T>,
): Promise<{ outer: Span; value: T }> {
  const outer = tracer.startSpan('POST /runs', { kind: SpanKind.SERVER });
  try {
    const value = await context.with(trace.setSpan(context.active(), outer), fn);
    return { outer, value };
  } finally {
    outer.end();
  }
}
