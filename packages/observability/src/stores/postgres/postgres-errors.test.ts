import { AgentError, ValidationError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { isConnectionError, toStoreError } from './postgres-errors.js';

/** An error as pg or Node reports it: a message and a code. */
function coded(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

describe('isConnectionError', () => {
  it.each([
    ['a refused connection', coded('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED')],
    ['a DNS failure', coded('getaddrinfo ENOTFOUND db', 'ENOTFOUND')],
    ['SQLSTATE class 08', coded('connection failure', '08006')],
    ['a terminated backend', coded('terminating connection due to administrator command', '57P01')],
    ['a server starting up', coded('the database system is starting up', '57P03')],
    ['pg’s unexpected termination', coded('Connection terminated unexpectedly')],
    ['pg’s connect timeout', coded('timeout exceeded when trying to connect')],
    ['an AggregateError of refused connections', new AggregateError([coded('x', 'ECONNREFUSED')], 'x')],
  ])('recognises %s', (_name, error) => {
    expect(isConnectionError(error)).toBe(true);
  });

  it.each([
    ['a query error', coded('relation "runs" does not exist', '42P01')],
    ['a plain error', new Error('boom')],
    ['a string', 'Connection terminated'],
    ['an AggregateError of query errors', new AggregateError([coded('x', '42P01')], 'x')],
  ])('does not take %s for a lost connection', (_name, error) => {
    expect(isConnectionError(error)).toBe(false);
  });
});

describe('toStoreError', () => {
  it('passes AgentErrors through unchanged', () => {
    const error = new ValidationError('bad');

    expect(toStoreError(error, 'append')).toBe(error);
  });

  it('marks a lost connection retryable and says the store reconnects', () => {
    const cause = coded('Connection terminated unexpectedly');

    const error = toStoreError(cause, 'readRun');

    expect(error).toBeInstanceOf(AgentError);
    expect(error).toMatchObject({
      code: 'INTERNAL',
      retryable: true,
      cause,
      details: { reason: 'connection' },
    });
    expect(error.message).toMatch(
      /readRun\(\) could not reach PostgreSQL \(Connection terminated unexpectedly\)/,
    );
    expect(error.message).toMatch(/reconnects by itself/);
  });

  it.each([
    ['a deadlock', '40P01', true],
    ['a serialization failure', '40001', true],
    ['a full disk', '53100', true],
    ['a missing table', '42P01', false],
  ])('wraps %s as a database failure, retryable %s', (_name, sqlState, retryable) => {
    const error = toStoreError(coded('it failed', sqlState), 'prune');

    expect(error).toMatchObject({ code: 'INTERNAL', retryable, details: { reason: 'database', sqlState } });
    expect(error.message).toContain(`prune() failed in PostgreSQL: it failed (SQLSTATE ${sqlState})`);
  });

  it('wraps something that is not an Error, keeping its text', () => {
    const error = toStoreError('odd failure', 'getRun');

    expect(error.message).toContain('getRun() failed in PostgreSQL: odd failure.');
    expect(error).toMatchObject({ retryable: false, details: { reason: 'database' } });
  });
});
