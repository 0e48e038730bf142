import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgentError } from '../errors/agent-error.js';
import { AbortedError, ToolError } from '../errors/errors.js';
import { noopLogger } from '../util/logger.js';
import { defineTool } from './define-tool.js';
import { executeToolCall, type ToolCallEnvironment } from './execute-tool-call.js';
import { ToolRegistry } from './tool-registry.js';

const weather = defineTool({
  name: 'weather',
  description: 'Weather for a city.',
  input: z.object({ city: z.string() }),
  output: z.object({ celsius: z.number() }),
  execute: ({ city }) =>
    city === 'Atlantis' ? ({ celsius: 'wet' } as unknown as { celsius: number }) : { celsius: 21 },
});

function environment(overrides: Partial<ToolCallEnvironment> = {}): ToolCallEnvironment {
  return {
    registry: new ToolRegistry([weather]),
    runId: 'r',
    agent: 'a',
    tenant: undefined,
    logger: noopLogger,
    signal: undefined,
    defaultTimeoutMs: 1000,
    ...overrides,
  };
}

describe('executeToolCall', () => {
  it('names the missing field and echoes what the model sent', async () => {
    const outcome = await executeToolCall(
      { id: '1', name: 'weather', arguments: { town: 'Oslo' } },
      environment(),
    );

    expect(outcome.ok).toBe(false);
    expect(outcome.content).toMatch(
      /^Error: Tool "weather" input invalid: "city" .*The model sent \{"town":"Oslo"\}/,
    );
  });

  it('parses arguments the adapter left as a JSON string', async () => {
    const outcome = await executeToolCall(
      { id: '1', name: 'weather', arguments: '{"city":"Oslo"}' },
      environment(),
    );

    expect(outcome).toMatchObject({ ok: true, content: '{"celsius":21}' });
  });

  it('reports text that is not JSON as invalid input', async () => {
    const outcome = await executeToolCall(
      { id: '1', name: 'weather', arguments: '{city: Oslo' },
      environment(),
    );

    expect(outcome).toMatchObject({ ok: false, error: { code: 'TOOL_INPUT_INVALID' } });
  });

  it('reports output that breaks the output schema', async () => {
    const outcome = await executeToolCall(
      { id: '1', name: 'weather', arguments: { city: 'Atlantis' } },
      environment(),
    );

    expect(outcome).toMatchObject({ ok: false, error: { code: 'TOOL_OUTPUT_INVALID' } });
  });

  it('truncates a huge echo of the arguments', async () => {
    const outcome = await executeToolCall(
      { id: '1', name: 'weather', arguments: { town: 'x'.repeat(2000) } },
      environment(),
    );

    expect(outcome.content.length).toBeLessThan(800);
    expect(outcome.content).toContain('…');
  });

  it('throws AbortedError when the run is already aborted', async () => {
    await expect(
      executeToolCall(
        { id: '1', name: 'weather', arguments: { city: 'Oslo' } },
        environment({ signal: AbortSignal.abort() }),
      ),
    ).rejects.toBeInstanceOf(AbortedError);
  });

  it('reports a synchronous throw from execute as TOOL_FAILED with a non-Error value', async () => {
    const thrower = defineTool({
      name: 'thrower',
      description: 'x',
      input: z.object({}),
      execute: () => {
        throw 'plain string';
      },
    });

    const outcome = await executeToolCall(
      { id: '1', name: 'thrower', arguments: {} },
      environment({ registry: new ToolRegistry([thrower]) }),
    );

    expect(outcome).toMatchObject({ ok: false, content: 'Error: Tool "thrower" failed: plain string' });
  });

  it('passes the context (run, agent, tenant, call id, signal) to execute', async () => {
    let seen: unknown;
    const spy = defineTool({
      name: 'spy',
      description: 'x',
      input: z.object({}),
      execute: (_input, context) => {
        seen = { ...context, signal: context.signal instanceof AbortSignal };
        return null;
      },
    });

    await executeToolCall(
      { id: 'call-9', name: 'spy', arguments: {} },
      environment({ registry: new ToolRegistry([spy]), tenant: 't1' }),
    );

    expect(seen).toMatchObject({ runId: 'r', agent: 'a', tenant: 't1', toolCallId: 'call-9', signal: true });
  });

  it("keeps a tool's own typed tool error (e.g. a guard's TOOL_REFUSED), and wraps any other error as TOOL_FAILED", async () => {
    const guarded = defineTool({
      name: 'guarded',
      description: 'x',
      input: z.object({ host: z.string() }),
      execute: async ({ host }) => {
        if (host === 'internal')
          throw new ToolError('TOOL_REFUSED', 'guarded', 'internal is a private address.');
        throw new AgentError('MODEL_AUTH', 'not a tool error');
      },
    });
    const registry = new ToolRegistry([guarded]);

    const refused = await executeToolCall(
      { id: '1', name: 'guarded', arguments: { host: 'internal' } },
      environment({ registry }),
    );
    const other = await executeToolCall(
      { id: '2', name: 'guarded', arguments: { host: 'x' } },
      environment({ registry }),
    );

    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'TOOL_REFUSED' },
      content: 'Error: internal is a private address.',
    });
    expect(other).toMatchObject({ ok: false, error: { code: 'TOOL_FAILED' } });
  });
});
