import { type FakeLlmServer, startFakeLlmServer } from '@agent/fake-llm-server';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { registerAnswerTests } from './answer-tests.js';
import type { ConformanceContext, ConformanceOptions } from './conformance-context.js';
import { registerFaultTests } from './fault-tests.js';

/**
 * Registers the ADR 0006 conformance suite for a `LanguageModel` adapter: plain text, tool round
 * trip, parallel tool calls, stream equals generate, structured output, usage, every fault of the
 * error table, and abort within 100 ms. It starts a fake LLM server for the suite, resets it after
 * each test and closes it at the end; the adapter is built against it through `createModel`.
 *
 * @example
 * ```ts
 * describeLanguageModelConformance('OpenAIChatModel', {
 *   provider: 'openai',
 *   createModel: (server, { timeoutMs }) =>
 *     createOpenAI({ baseURL: server.openaiBaseURL, apiKey: 'test', timeoutMs })('gpt-4o-mini'),
 * });
 * ```
 */
export function describeLanguageModelConformance(name: string, options: ConformanceOptions): void {
  describe(name, () => {
    let server: FakeLlmServer | undefined;
    const context: ConformanceContext = {
      options,
      server() {
        if (server === undefined)
          throw new Error('The fake LLM server is not running (beforeAll has not run).');
        return server;
      },
      model(modelOptions = {}) {
        return options.createModel(context.server(), modelOptions);
      },
    };

    beforeAll(async () => {
      server = await startFakeLlmServer();
    });
    afterEach(() => {
      server?.reset();
    });
    afterAll(async () => {
      await server?.close();
    });

    describe('answers', () => registerAnswerTests(context));
    describe('faults', () => registerFaultTests(context));
  });
}
