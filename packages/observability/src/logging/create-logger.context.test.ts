import { describe, expect, it } from 'vitest';
import { defaultLogContext, LogContext } from '../context/log-context.js';
import { createLogScope } from '../context/log-scope.js';
import { createMemoryTransport } from './__fixtures__/memory-transport.js';
import { createLogger } from './create-logger.js';

function setup() {
  const memory = createMemoryTransport();
  const context = new LogContext();
  const logger = createLogger({ transports: [memory.transport], context });
  return { memory, context, logger };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

const nextTimer = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('createLogger: ids from the async context', () => {
  it('adds the ids of the run the line is logged in', async () => {
    const { memory, context, logger } = setup();

    context.run({ requestId: 'req-1', tenant: 'acme' }, () => logger.info('inside'));
    await logger.close();

    expect(memory.records()).toEqual([
      expect.objectContaining({ message: 'inside', requestId: 'req-1', tenant: 'acme' }),
    ]);
  });

  it('adds no ids outside every run', async () => {
    const { memory, context, logger } = setup();

    context.run({ requestId: 'req-1' }, () => undefined);
    logger.info('outside');
    await logger.close();

    expect(Object.keys(memory.records()[0] ?? {})).toEqual(['timestamp', 'level', 'message']);
  });

  it('keeps the ids in timer callbacks and after awaits', async () => {
    const { memory, context, logger } = setup();

    await context.run({ runId: 'run-1' }, async () => {
      await Promise.resolve();
      logger.info('after await');
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          logger.info('in timer');
          resolve();
        }, 0),
      );
      await nextTimer();
      logger.info('after timer');
    });
    logger.info('after run');
    await logger.close();

    expect(memory.records().map((record) => [record.message, record.runId])).toEqual([
      ['after await', 'run-1'],
      ['in timer', 'run-1'],
      ['after timer', 'run-1'],
      ['after run', undefined],
    ]);
  });

  it('reads the ids at log time, not when the logger or child was made', async () => {
    const { memory, context, logger } = setup();
    const child = context.run({ runId: 'run-made' }, () => logger.child({ part: 'x' }));

    context.run({ runId: 'run-logged' }, () => child.info('line'));
    await logger.close();

    expect(memory.records()[0]).toMatchObject({ runId: 'run-logged', part: 'x' });
  });

  it('merges nested runs: the request ids stay, the run ids are added', async () => {
    const { memory, context, logger } = setup();
    const scope = createLogScope(context);

    await context.run({ requestId: 'req-1', tenant: 'acme' }, () =>
      scope.enter({ runId: 'run-1', agent: 'assistant', tenant: undefined }, async () => logger.info('step')),
    );
    await logger.close();

    expect(memory.records()[0]).toMatchObject({
      requestId: 'req-1',
      tenant: 'acme',
      runId: 'run-1',
      agent: 'assistant',
    });
  });

  it('does not mix the ids of two concurrent runs', async () => {
    const { memory, context, logger } = setup();
    const gate = deferred();

    await Promise.all([
      context.run({ runId: 'run-a', agent: 'alpha' }, async () => {
        logger.info('a1');
        await gate.promise;
        logger.info('a2');
      }),
      context.run({ runId: 'run-b', agent: 'beta' }, async () => {
        logger.info('b1');
        gate.resolve();
        await nextTimer();
        logger.info('b2');
      }),
    ]);
    await logger.close();

    expect(memory.records().map((record) => `${record.message}:${record.runId}:${record.agent}`)).toEqual([
      'a1:run-a:alpha',
      'b1:run-b:beta',
      'a2:run-a:alpha',
      'b2:run-b:beta',
    ]);
  });

  it('reads the default log context when given none', async () => {
    const memory = createMemoryTransport();
    const logger = createLogger({ transports: [memory.transport] });

    defaultLogContext.run({ requestId: 'req-default' }, () => logger.info('line'));
    await logger.close();

    expect(memory.records()[0]).toMatchObject({ requestId: 'req-default' });
  });

  it('writes timestamp, level and message first, then ids, base, child and call fields, later ones winning', async () => {
    const memory = createMemoryTransport();
    const context = new LogContext();
    const logger = createLogger({
      transports: [memory.transport],
      context,
      fields: { service: 'api', layer: 'base' },
    });

    context.run({ runId: 'run-1' }, () =>
      logger.child({ layer: 'child', part: 'p' }).info('line', { layer: 'call', extra: 1 }),
    );
    await logger.close();

    const record = memory.records()[0] ?? {};
    expect(Object.keys(record)).toEqual([
      'timestamp',
      'level',
      'message',
      'runId',
      'service',
      'layer',
      'part',
      'extra',
    ]);
    expect(record.layer).toBe('call');
    expect(record.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});
