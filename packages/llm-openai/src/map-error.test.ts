import { AbortedError, ModelError } from '@agent/core';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { toModelError } from './map-error.js';

const context = { provider: 'openai', modelId: 'gpt-4o-mini', now: Date.parse('2026-11-21T12:00:00Z') };

/** An SDK error as the SDK itself builds it from an HTTP error response. */
function httpError(status: number, headers: Record<string, string> = {}, code: string | null = null) {
  return OpenAI.APIError.generate(
    status,
    { error: { message: `scripted ${status}`, type: 'test_error', code } },
    undefined,
    new Headers(headers),
  );
}

function mapped(error: unknown): ModelError {
  const result = toModelError(error, context);
  if (!(result instanceof ModelError)) throw new Error(`expected a ModelError, got ${String(result)}`);
  return result;
}

describe('toModelError', () => {
  it.each([401, 403])('maps HTTP %i to a non-retryable MODEL_AUTH', (status) => {
    const error = mapped(httpError(status));

    expect(error).toMatchObject({ code: 'MODEL_AUTH', retryable: false, status });
  });

  it('tells the caller how to supply a key when OpenAI rejects it', () => {
    const error = mapped(httpError(401));

    expect(error.message).toContain('Set OPENAI_API_KEY or pass apiKey to createOpenAI()');
  });

  it.each([400, 404, 409, 413, 422, 402])('maps HTTP %i to a non-retryable MODEL_BAD_REQUEST', (status) => {
    const error = mapped(httpError(status));

    expect(error).toMatchObject({ code: 'MODEL_BAD_REQUEST', retryable: false, status });
  });

  it('names the model id in the message of a 404', () => {
    const error = mapped(httpError(404));

    expect(error.message).toContain('"gpt-4o-mini"');
  });

  it('maps HTTP 429 to a retryable MODEL_RATE_LIMITED with retryAfterMs from retry-after-ms', () => {
    const error = mapped(httpError(429, { 'retry-after-ms': '50', 'retry-after': '9' }));

    expect(error).toMatchObject({
      code: 'MODEL_RATE_LIMITED',
      retryable: true,
      status: 429,
      retryAfterMs: 50,
    });
  });

  it('reads retryAfterMs of a 429 from a retry-after HTTP date', () => {
    const headers = { 'retry-after': new Date(context.now + 4_000).toUTCString() };

    const error = mapped(httpError(429, headers));

    expect(error.retryAfterMs).toBe(4000);
  });

  it('leaves retryAfterMs undefined when a 429 has no retry headers', () => {
    const error = mapped(httpError(429));

    expect(error.retryAfterMs).toBeUndefined();
  });

  it('marks a 429 for exhausted quota as not retryable', () => {
    const error = mapped(httpError(429, {}, 'insufficient_quota'));

    expect(error).toMatchObject({ code: 'MODEL_RATE_LIMITED', retryable: false });
    expect(error.message).toContain('Add credits');
  });

  it.each([503, 529])('maps HTTP %i to a retryable MODEL_OVERLOADED', (status) => {
    const error = mapped(httpError(status, { 'retry-after': '2' }));

    expect(error).toMatchObject({ code: 'MODEL_OVERLOADED', retryable: true, status, retryAfterMs: 2000 });
  });

  it.each([500, 502, 504])('maps HTTP %i to a retryable MODEL_SERVER_ERROR', (status) => {
    const error = mapped(httpError(status));

    expect(error).toMatchObject({ code: 'MODEL_SERVER_ERROR', retryable: true, status });
  });

  it('maps HTTP 408 to a retryable MODEL_TIMEOUT', () => {
    const error = mapped(httpError(408));

    expect(error).toMatchObject({ code: 'MODEL_TIMEOUT', retryable: true, status: 408 });
  });

  it('maps an error object inside a stream (no status) to a retryable MODEL_SERVER_ERROR', () => {
    const error = mapped(new OpenAI.APIError(undefined, { message: 'boom' }, undefined, undefined));

    expect(error).toMatchObject({ code: 'MODEL_SERVER_ERROR', retryable: true, status: undefined });
    expect(error.message).toContain('boom');
  });

  it('maps the SDK timeout to a retryable MODEL_TIMEOUT', () => {
    const error = mapped(new OpenAI.APIConnectionTimeoutError());

    expect(error).toMatchObject({ code: 'MODEL_TIMEOUT', retryable: true });
  });

  it('maps a connection error to a retryable MODEL_CONNECTION naming the cause', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:1');

    const error = mapped(new OpenAI.APIConnectionError({ cause }));

    expect(error).toMatchObject({ code: 'MODEL_CONNECTION', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('maps a socket that broke mid-body to a retryable MODEL_CONNECTION', () => {
    const error = mapped(new TypeError('terminated', { cause: new Error('other side closed') }));

    expect(error).toMatchObject({ code: 'MODEL_CONNECTION', retryable: true });
    expect(error.message).toContain('other side closed');
  });

  it('maps a thrown non-error to MODEL_CONNECTION', () => {
    const error = mapped('socket hang up');

    expect(error.message).toContain('socket hang up');
  });

  it('maps a JSON syntax error to a non-retryable MODEL_INVALID_RESPONSE', () => {
    const error = mapped(new SyntaxError('Unexpected end of JSON input'));

    expect(error).toMatchObject({ code: 'MODEL_INVALID_RESPONSE', retryable: false });
  });

  it('maps another SDK error to a non-retryable MODEL_INVALID_RESPONSE', () => {
    const error = mapped(new OpenAI.OpenAIError('Attempted to iterate over a response with no body'));

    expect(error).toMatchObject({ code: 'MODEL_INVALID_RESPONSE', retryable: false });
  });

  it('maps the SDK abort error to AbortedError', () => {
    const error = toModelError(new OpenAI.APIUserAbortError(), context);

    expect(error).toBeInstanceOf(AbortedError);
    expect(error.code).toBe('ABORTED');
  });

  it('passes errors of @agent/* through unchanged', () => {
    const original = new ModelError('MODEL_AUTH', 'no key');

    expect(toModelError(original, context)).toBe(original);
  });

  it('carries provider, model id and the SDK error as cause', () => {
    const original = httpError(500);

    const error = mapped(original);

    expect(error).toMatchObject({ provider: 'openai', modelId: 'gpt-4o-mini', cause: original });
  });

  it('names a compatible server by its provider id', () => {
    const error = toModelError(httpError(500), { provider: 'ollama', modelId: 'llama3.2' });

    expect(error.message).toContain('"ollama"');
  });
});
