import { AbortedError, AgentError, ModelError } from '@agent/core';
import {
  AnthropicError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { mapAnthropicError } from './map-error.js';

const MODEL = 'claude-3-5-haiku-latest';
const NOW = Date.parse('2026-11-21T12:00:00Z');

function statusError(status: number, type: string, headers: Record<string, string> = {}): APIError {
  return APIError.generate(
    status,
    { type: 'error', error: { type, message: `scripted ${type}` } },
    undefined,
    new Headers(headers),
  );
}

function mapped(error: unknown): ModelError {
  const result = mapAnthropicError(error, MODEL, NOW);
  expect(result).toBeInstanceOf(ModelError);
  return result as ModelError;
}

describe('mapAnthropicError', () => {
  it.each([
    [401, 'authentication_error', 'MODEL_AUTH'],
    [402, 'billing_error', 'MODEL_AUTH'],
    [403, 'permission_error', 'MODEL_AUTH'],
    [400, 'invalid_request_error', 'MODEL_BAD_REQUEST'],
    [404, 'not_found_error', 'MODEL_BAD_REQUEST'],
    [409, 'conflict_error', 'MODEL_BAD_REQUEST'],
    [413, 'request_too_large', 'MODEL_BAD_REQUEST'],
    [422, 'invalid_request_error', 'MODEL_BAD_REQUEST'],
    [408, 'timeout_error', 'MODEL_TIMEOUT'],
    [429, 'rate_limit_error', 'MODEL_RATE_LIMITED'],
    [503, 'api_error', 'MODEL_OVERLOADED'],
    [529, 'overloaded_error', 'MODEL_OVERLOADED'],
    [500, 'api_error', 'MODEL_SERVER_ERROR'],
    [504, 'timeout_error', 'MODEL_SERVER_ERROR'],
  ])('maps HTTP %i to %s', (status, type, code) => {
    const error = mapped(statusError(status, type));

    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  });

  it('keeps the provider, model id and SDK error on every model error', () => {
    const cause = statusError(400, 'invalid_request_error');

    const error = mapped(cause);

    expect(error).toMatchObject({ provider: 'anthropic', modelId: MODEL, cause, retryable: false });
  });

  it('tells the caller how to provide a key when the key is rejected', () => {
    const error = mapped(statusError(401, 'authentication_error'));

    expect(error.message).toContain('Set ANTHROPIC_API_KEY or pass apiKey to createAnthropic()');
    expect(error.retryable).toBe(false);
  });

  it('names the model id when the API answers 404', () => {
    expect(mapped(statusError(404, 'not_found_error')).message).toContain(`"${MODEL}"`);
  });

  it('reads retryAfterMs of a rate limit from retry-after-ms', () => {
    const error = mapped(statusError(429, 'rate_limit_error', { 'retry-after-ms': '250' }));

    expect(error).toMatchObject({ code: 'MODEL_RATE_LIMITED', retryable: true, retryAfterMs: 250 });
  });

  it('reads retryAfterMs of an overload from retry-after seconds', () => {
    expect(mapped(statusError(529, 'overloaded_error', { 'retry-after': '3' })).retryAfterMs).toBe(3000);
  });

  it('reads retryAfterMs from an HTTP date', () => {
    const headers = { 'retry-after': 'Sat, 21 Nov 2026 12:00:10 GMT' };

    expect(mapped(statusError(429, 'rate_limit_error', headers)).retryAfterMs).toBe(10_000);
  });

  it('sets no retryAfterMs on a bad request even when the header is there', () => {
    expect(
      mapped(statusError(400, 'invalid_request_error', { 'retry-after': '3' })).retryAfterMs,
    ).toBeUndefined();
  });

  it('maps an overloaded_error event inside a stream to MODEL_OVERLOADED without a status', () => {
    const streamError = new APIError(
      undefined,
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      undefined,
      new Headers(),
    );

    const error = mapped(streamError);

    expect(error).toMatchObject({ code: 'MODEL_OVERLOADED', status: undefined, retryable: true });
  });

  it('maps an invalid_request_error event inside a stream to a non-retryable bad request', () => {
    const streamError = new APIError(
      undefined,
      { error: { type: 'invalid_request_error', message: 'no' } },
      undefined,
      new Headers(),
    );

    expect(mapped(streamError)).toMatchObject({ code: 'MODEL_BAD_REQUEST', retryable: false });
  });

  it('maps a stream error event of an unknown type to MODEL_SERVER_ERROR', () => {
    const streamError = new APIError(
      undefined,
      { error: { type: 'new_error', message: '?' } },
      undefined,
      new Headers(),
    );

    expect(mapped(streamError).code).toBe('MODEL_SERVER_ERROR');
  });

  it('maps the SDK timeout to MODEL_TIMEOUT', () => {
    expect(mapped(new APIConnectionTimeoutError()).code).toBe('MODEL_TIMEOUT');
  });

  it('maps an SDK connection error to MODEL_CONNECTION with the cause in the message', () => {
    const error = mapped(new APIConnectionError({ cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }));

    expect(error.code).toBe('MODEL_CONNECTION');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('maps a socket closed while reading the body to MODEL_CONNECTION', () => {
    const terminated = new TypeError('terminated', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });

    expect(mapped(terminated).code).toBe('MODEL_CONNECTION');
  });

  it('maps a body that is not JSON to MODEL_INVALID_RESPONSE', () => {
    expect(mapped(new SyntaxError('Unexpected end of JSON input'))).toMatchObject({
      code: 'MODEL_INVALID_RESPONSE',
      retryable: false,
    });
  });

  it('maps an SDK error about the body to MODEL_INVALID_RESPONSE', () => {
    expect(mapped(new AnthropicError('Attempted to iterate over a response with no body')).code).toBe(
      'MODEL_INVALID_RESPONSE',
    );
  });

  it('does not mistake a programming TypeError for a connection problem', () => {
    expect(mapped(new TypeError("Cannot read properties of undefined (reading 'x')")).code).toBe(
      'MODEL_INVALID_RESPONSE',
    );
  });

  it('turns an SDK user abort into AbortedError', () => {
    expect(mapAnthropicError(new APIUserAbortError(), MODEL)).toBeInstanceOf(AbortedError);
  });

  it('passes agent errors through unchanged', () => {
    const original = new ModelError('MODEL_AUTH', 'no key');

    expect(mapAnthropicError(original, MODEL)).toBe(original);
    expect(AgentError.isInstance(mapAnthropicError('a string', MODEL))).toBe(true);
  });
});
