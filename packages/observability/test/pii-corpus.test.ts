// The redaction promise, end to end: every sample of the PII corpus goes through a real run into
// all three outputs (log lines, stored events, span attributes) and none comes out verbatim. The
// same run with redaction off must leak every sample, which proves the checks can fail.
import { Agent, defineTool, MemoryEventStore } from '@agent/core';
import { ScriptedModel, textResponse, toolCallResponse } from '@agent/core/testing';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger, instrument } from '../src/index.js';
import { createMemoryTransport } from '../src/logging/__fixtures__/memory-transport.js';
import { PII_CORPUS } from '../src/redact/__fixtures__/pii-corpus.js';

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => {
  context.disable();
});

const everySample = PII_CORPUS.map(({ sample }) => sample).join(' | ');

const lookup = defineTool({
  name: 'lookup_customer',
  description: 'Finds a customer record.',
  input: z.object({ query: z.string() }),
  // The tool returns personal data, as a CRM lookup would.
  execute: ({ query }) => ({ found: query, record: everySample, password: 'hunter2-EXAMPLE' }),
});

/** Runs one agent whose input, tool arguments, tool output and answer all hold the corpus. */
async function runThroughAllOutputs(redact: boolean) {
  const logs = createMemoryTransport();
  const logger = createLogger({ level: 'debug', transports: [logs.transport], redact });
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer(
    'pii',
  );
  const store = new MemoryEventStore();
  const telemetry = instrument({
    logger,
    logEvents: { verbose: true },
    tracer,
    tracing: { captureContent: true },
    store,
    redact,
  });
  const model = new ScriptedModel([
    toolCallResponse('lookup_customer', { query: everySample }),
    textResponse(`Here is what I found: ${everySample}`),
  ]);
  const agent = new Agent({ name: 'crm', model, tools: [lookup], ...telemetry.agentOptions });

  const result = await agent.run(`Find the customer with any of: ${everySample}`);
  logger.warn(`customer contacted: ${everySample}`, { customer: everySample, apiKey: 'plain-EXAMPLE-key' });
  await telemetry.flush();
  await telemetry.close();
  await logger.close();

  return {
    output: JSON.stringify(result.output),
    logs: logs.lines.join('\n'),
    stored: JSON.stringify(await store.readRun(result.runId)),
    spans: JSON.stringify(
      exporter.getFinishedSpans().map((span) => ({
        name: span.name,
        attributes: span.attributes,
        status: span.status,
        events: span.events,
      })),
    ),
  };
}

describe('the PII corpus through logs, stored events and span attributes', () => {
  it('leaves no sample verbatim in any output when redaction is on (the default)', async () => {
    const outputs = await runThroughAllOutputs(true);

    for (const [name, text] of Object.entries({
      logs: outputs.logs,
      stored: outputs.stored,
      spans: outputs.spans,
    })) {
      const leaked = PII_CORPUS.filter(({ sample }) => text.includes(sample)).map(
        ({ kind, sample }) => `${kind}: ${sample}`,
      );
      expect(leaked, `${name} leaked`).toEqual([]);
      expect(text, `${name} holds no redaction marker: did the content reach it?`).toContain('[REDACTED:');
    }
    expect(outputs.logs).not.toContain('plain-EXAMPLE-key');
    expect(outputs.stored).not.toContain('hunter2-EXAMPLE');
  });

  it('does redact only what leaves the process: the run result keeps its content', async () => {
    const outputs = await runThroughAllOutputs(true);

    expect(outputs.output).toContain(PII_CORPUS[0]?.sample);
  });

  it('leaks every sample into every output when redaction is off, so the check above can fail', async () => {
    const outputs = await runThroughAllOutputs(false);

    for (const text of [outputs.logs, outputs.stored, outputs.spans]) {
      const missing = PII_CORPUS.filter(({ sample }) => !text.includes(sample));
      expect(missing).toEqual([]);
    }
  });
});
