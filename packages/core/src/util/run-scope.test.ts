import { describe, expect, it, vi } from 'vitest';
import { Agent } from '../agent/agent.js';
import { EventBus } from '../events/event-bus.js';
import { PlannerExecutor } from '../planner/planner-executor.js';
import { ScriptedModel, textResponse } from '../testing/scripted-model.js';
import type { Logger } from './logger.js';
import { noopLogger } from './logger.js';
import type { RunIdentity, RunScope } from './run-scope.js';

/** A scope that records what it was entered with and whether the run's work happened inside it. */
function recordingScope() {
  const entered: RunIdentity[] = [];
  let inside: RunIdentity | undefined;
  const scope: RunScope = {
    async enter(run, fn) {
      entered.push(run);
      inside = run;
      try {
        return await fn();
      } finally {
        inside = undefined;
      }
    },
  };
  return { scope, entered, current: () => inside };
}

function loggerSpy() {
  const error = vi.fn<Logger['error']>();
  const logger: Logger = { ...noopLogger, error, child: () => noopLogger };
  return Object.assign(logger, { error });
}

describe('RunScope around Agent runs', () => {
  it('enters the scope once per run with the run id, agent and tenant, and runs the model call inside it', async () => {
    const { scope, entered, current } = recordingScope();
    let seenInsideModel: RunIdentity | undefined;
    const model = new ScriptedModel([
      (request) => {
        seenInsideModel = current();
        return textResponse(`hi ${request.context?.runId}`);
      },
    ]);
    const agent = new Agent({ name: 'scoped', model, scope, idGenerator: () => 'run-1' });

    const result = await agent.run('hello', { tenant: 'acme' });

    expect(result.output).toBe('hi run-1');
    expect(entered).toEqual([{ runId: 'run-1', agent: 'scoped', tenant: 'acme' }]);
    expect(seenInsideModel).toEqual({ runId: 'run-1', agent: 'scoped', tenant: 'acme' });
  });

  it('uses the caller-supplied runId for the scope and the events alike', async () => {
    const { scope, entered } = recordingScope();
    const bus = new EventBus();
    const runIds: string[] = [];
    bus.tap((event) => runIds.push(event.runId));
    const agent = new Agent({
      name: 'scoped',
      model: new ScriptedModel([textResponse('ok')]),
      scope,
      events: bus,
    });

    await agent.run('hello', { runId: 'given-id' });

    expect(entered[0]?.runId).toBe('given-id');
    expect(new Set(runIds)).toEqual(new Set(['given-id']));
  });

  it('streams inside the scope too', async () => {
    const { scope, entered } = recordingScope();
    const agent = new Agent({ name: 'scoped', model: new ScriptedModel([textResponse('ok')]), scope });

    const stream = agent.stream('hello');
    for await (const _event of stream) {
      // drain
    }

    expect((await stream.result).output).toBe('ok');
    expect(entered).toHaveLength(1);
  });

  it('runs without the scope, and logs why, when enter throws before calling fn', async () => {
    const logger = loggerSpy();
    const scope: RunScope = {
      enter() {
        throw new Error('scope broke');
      },
    };
    const agent = new Agent({
      name: 'scoped',
      model: new ScriptedModel([textResponse('ok')]),
      scope,
      logger,
    });

    const result = await agent.run('hello');

    expect(result.output).toBe('ok');
    expect(logger.error).toHaveBeenCalledWith(
      'scope.enter threw; the run goes on without it',
      expect.objectContaining({ error: 'Error: scope broke' }),
    );
  });

  it('does not run the work twice when enter throws after calling fn', async () => {
    const model = new ScriptedModel([textResponse('ok')], { fallback: textResponse('again') });
    const scope: RunScope = {
      enter(_run, fn) {
        void fn();
        throw new Error('late failure');
      },
    };
    const agent = new Agent({ name: 'scoped', model, scope });

    await expect(agent.run('hello')).rejects.toThrow('late failure');
    await new Promise((resolve) => setImmediate(resolve));
    expect(model.calls).toHaveLength(1);
  });
});

describe('RunScope around PlannerExecutor runs', () => {
  it('enters the scope once per run and plans inside it', async () => {
    const { scope, entered, current } = recordingScope();
    let seenInsidePlanner: RunIdentity | undefined;
    const planner = new ScriptedModel([
      () => {
        seenInsidePlanner = current();
        return textResponse(JSON.stringify({ goal: 'answer', steps: [{ description: 'say hi' }] }));
      },
    ]);
    const executor = new ScriptedModel([textResponse('hi'), textResponse('final')]);
    const runtime = new PlannerExecutor({
      name: 'planned',
      planner,
      executor,
      scope,
      idGenerator: () => 'plan-run',
    });

    const result = await runtime.run('greet', { tenant: 't1' });

    expect(result.output).toBe('final');
    expect(entered).toEqual([{ runId: 'plan-run', agent: 'planned', tenant: 't1' }]);
    expect(seenInsidePlanner?.runId).toBe('plan-run');
  });

  it('runs without the scope, and logs why, when enter throws', async () => {
    const logger = loggerSpy();
    const runtime = new PlannerExecutor({
      name: 'planned',
      planner: new ScriptedModel([
        textResponse(JSON.stringify({ goal: 'g', steps: [{ description: 's' }] })),
      ]),
      executor: new ScriptedModel([textResponse('step'), textResponse('final')]),
      scope: {
        enter() {
          throw new Error('scope broke');
        },
      },
      logger,
    });

    await expect(runtime.run('task')).resolves.toMatchObject({ output: 'final' });
    expect(logger.error).toHaveBeenCalledOnce();
  });
});
