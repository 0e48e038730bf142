import { describe, expect, it } from 'vitest';
import { AgentError, toAgentError } from './agent-error.js';
import {
  AbortedError,
  ConfigError,
  MaxStepsError,
  ModelError,
  PlanError,
  RateLimitError,
  ToolError,
  ValidationError,
} from './errors.js';

describe('AgentError', () => {
  it('is recognised by isInstance across duplicate installs (a marker, not instanceof)', () => {
    const foreign = Object.defineProperty(new Error('x'), Symbol.for('@agent/core.AgentError'), {
      value: true,
    });

    expect(AgentError.isInstance(foreign)).toBe(true);
    expect(AgentError.isInstance(new Error('x'))).toBe(false);
    expect(AgentError.isInstance(null)).toBe(false);
    expect(AgentError.isInstance('ABORTED')).toBe(false);
  });

  it('serialises code, message, retryable, details, run id and cause without a stack', () => {
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const error = new ModelError('MODEL_CONNECTION', 'connection lost', {
      cause,
      provider: 'openai',
      status: 0,
    });
    error.runId = 'run-1';

    const json = error.toJSON();

    expect(json).toEqual({
      name: 'ModelError',
      code: 'MODEL_CONNECTION',
      message: 'connection lost',
      retryable: true,
      runId: 'run-1',
      details: { provider: 'openai', status: 0 },
      cause: { name: 'Error', message: 'socket hang up', code: 'ECONNRESET' },
    });
    expect(JSON.stringify(error)).not.toContain('at ');
  });

  it('summarises a non-Error cause as text', () => {
    expect(new AgentError('INTERNAL', 'x', { cause: 42 }).toJSON().cause).toEqual({
      name: 'number',
      message: '42',
    });
  });

  it('wraps unknown throwables and leaves AgentErrors unchanged', () => {
    const typed = new AbortedError();

    expect(toAgentError(typed)).toBe(typed);
    expect(toAgentError(new Error('boom'))).toMatchObject({ code: 'INTERNAL', message: 'boom' });
    expect(toAgentError('text', 'TOOL_FAILED')).toMatchObject({ code: 'TOOL_FAILED', message: 'text' });
  });
});

describe('error subclasses', () => {
  it('derive retryable from the model error code', () => {
    expect(new ModelError('MODEL_RATE_LIMITED', 'x', { retryAfterMs: 1000 }).retryable).toBe(true);
    expect(new ModelError('MODEL_BAD_REQUEST', 'x').retryable).toBe(false);
    expect(new ModelError('MODEL_AUTH', 'x').retryable).toBe(false);
    expect(new ModelError('MODEL_OVERLOADED', 'x').isCapacityError).toBe(true);
    expect(new ModelError('MODEL_SERVER_ERROR', 'x').isCapacityError).toBe(false);
  });

  it('carry their facts as fields and details', () => {
    const rateLimit = new RateLimitError('per-tenant', 1500);
    const tool = new ToolError('TOOL_TIMEOUT', 'weather', 'slow');
    const config = new ConfigError('bad', {
      issues: [{ file: 'a.yaml', path: 'x', message: 'm', fix: 'f' }],
    });

    expect(rateLimit).toMatchObject({
      code: 'RATE_LIMITED',
      rule: 'per-tenant',
      retryAfterMs: 1500,
      retryable: true,
    });
    expect(rateLimit.message).toContain('retry in 1500 ms');
    expect(tool).toMatchObject({ toolName: 'weather', details: { toolName: 'weather' } });
    expect(config.issues).toHaveLength(1);
    expect(new ConfigError('missing', { code: 'CONFIG_NOT_FOUND' }).code).toBe('CONFIG_NOT_FOUND');
    expect(new MaxStepsError(3)).toMatchObject({ maxSteps: 3, code: 'MAX_STEPS_EXCEEDED' });
    expect(new ValidationError('x', { code: 'OUTPUT_INVALID' }).code).toBe('OUTPUT_INVALID');
    expect(new PlanError('x').code).toBe('PLAN_FAILED');
    expect(new AbortedError().name).toBe('AbortedError');
  });
});
