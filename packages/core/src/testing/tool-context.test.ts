import { describe, expect, it } from 'vitest';
import { type Logger, noopLogger } from '../util/logger.js';
import { testToolContext } from './tool-context.js';

describe('testToolContext', () => {
  it('fills every field with the documented defaults', () => {
    const context = testToolContext();

    expect(context).toEqual({
      signal: expect.any(AbortSignal),
      runId: 'test-run',
      agent: 'test',
      tenant: undefined,
      toolCallId: 'test-call',
      logger: noopLogger,
    });
    expect(context.signal.aborted).toBe(false);
  });

  it('applies overrides over the defaults and keeps the rest', () => {
    const controller = new AbortController();
    const logger: Logger = { ...noopLogger, child: () => logger };

    const context = testToolContext({
      signal: controller.signal,
      runId: 'r9',
      tenant: 'acme',
      toolCallId: 'call-9',
      logger,
    });

    expect(context.signal).toBe(controller.signal);
    expect(context).toMatchObject({ runId: 'r9', agent: 'test', tenant: 'acme', toolCallId: 'call-9' });
    expect(context.logger).toBe(logger);
  });

  it('gives each call a signal of its own', () => {
    const first = testToolContext();
    const second = testToolContext();

    expect(first.signal).not.toBe(second.signal);
  });

  it('gives a fresh signal when the override passes an undefined one through', () => {
    const passedThrough: AbortSignal | undefined = undefined;

    const context = testToolContext({ signal: passedThrough, runId: 'r2' });

    expect(context.signal).toBeInstanceOf(AbortSignal);
    expect(context.signal.aborted).toBe(false);
    expect(context.runId).toBe('r2');
  });
});
