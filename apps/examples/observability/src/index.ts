import { Agent, defineTool } from '@agent/core';
import { ScriptedModel, textResponse, toolCallResponse } from '@agent/core/testing';
import { createAgentMetrics, createLogger, defaultLogContext, instrument } from '@agent/observability';
import { SqliteEventStore } from '@agent/observability/sqlite';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';

// Your app's OpenTelemetry setup: a context manager (so spans nest across await) and an exporter.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracer = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
}).getTracer('example');

const logger = createLogger({ level: 'info', format: 'pretty' });
const metrics = createAgentMetrics();
const store = new SqliteEventStore({ path: process.env.EVENTS_DB ?? './data/events.db' });

// One call: logs with ids from async context, metrics, spans, and every event stored (redacted).
const telemetry = instrument({ logger, metrics, tracer, store });

const lookup = defineTool({
  name: 'lookup_customer',
  description: 'Finds a customer by email.',
  input: z.object({ email: z.string() }),
  execute: ({ email }) => {
    logger.info('looking up a customer', { email }); // carries requestId, runId, agent: nobody passed them
    return { email, plan: 'pro' };
  },
});
const model = new ScriptedModel([
  toolCallResponse('lookup_customer', { email: 'jane.doe@example.com' }),
  textResponse('Jane is on the pro plan.'),
]);
const agent = new Agent({ name: 'support', model, tools: [lookup], ...telemetry.agentOptions });

// The edge (an HTTP handler, a queue consumer) sets the request id once.
const result = await defaultLogContext.run({ requestId: 'req-1' }, () =>
  agent.run('Which plan is jane.doe@example.com on?'),
);
await telemetry.flush();

// Replay the run from the store: the email is redacted there, as in the logs and spans.
for (const event of await store.readRun(result.runId))
  console.log(`#${event.seq} ${event.type}`, JSON.stringify(event).slice(0, 120));
console.log(
  (await metrics.metrics())
    .split('\n')
    .filter((line) => line.startsWith('agent_runs_total'))
    .join('\n'),
);

await telemetry.close();
await store.close();
await logger.close();
