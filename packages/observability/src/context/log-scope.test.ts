import { describe, expect, it } from 'vitest';
import { defaultLogContext, LogContext } from './log-context.js';
import { createLogScope } from './log-scope.js';

describe('createLogScope', () => {
  it('runs fn with the run ids merged over the ids the edge set', async () => {
    const context = new LogContext();
    const scope = createLogScope(context);

    const seen = await context.run({ requestId: 'req-1' }, () =>
      scope.enter({ runId: 'run-1', agent: 'assistant', tenant: 'acme' }, async () => context.get()),
    );

    expect(seen).toEqual({ requestId: 'req-1', runId: 'run-1', agent: 'assistant', tenant: 'acme' });
  });

  it('keeps the tenant the request set when the run has none', async () => {
    const context = new LogContext();
    const scope = createLogScope(context);

    const seen = await context.run({ tenant: 'acme' }, () =>
      scope.enter({ runId: 'run-1', agent: 'assistant', tenant: undefined }, async () => context.get()),
    );

    expect(seen).toEqual({ tenant: 'acme', runId: 'run-1', agent: 'assistant' });
  });

  it('returns what fn resolves to and leaves the context after', async () => {
    const context = new LogContext();
    const scope = createLogScope(context);

    const result = await scope.enter(
      { runId: 'run-1', agent: 'assistant', tenant: undefined },
      async () => 7,
    );

    expect(result).toBe(7);
    expect(context.get()).toBeUndefined();
  });

  it('writes to the default log context when given none', async () => {
    const scope = createLogScope();

    const seen = await scope.enter({ runId: 'run-1', agent: 'assistant', tenant: undefined }, async () =>
      defaultLogContext.get(),
    );

    expect(seen).toEqual({ runId: 'run-1', agent: 'assistant' });
  });
});
