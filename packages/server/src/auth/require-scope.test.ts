import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Principal, Scope } from '../contract.js';
import { errorHandler } from '../http/middleware/error-handler.js';
import { hasScope, requireScope } from './require-scope.js';

function principal(...scopes: Scope[]): Principal {
  return { subject: 'ci', tenant: 'acme', scopes: new Set(scopes), method: 'api-key' };
}

describe('requireScope', () => {
  it('passes when the principal has the scope', () => {
    expect(() => requireScope(principal('runs:read'), 'runs:read')).not.toThrow();
  });

  it('lets admin act with every scope', () => {
    expect(hasScope(principal('admin'), 'runs:write')).toBe(true);
    expect(() => requireScope(principal('admin'), 'runs:read')).not.toThrow();
  });

  it('does not let runs:write imply runs:read', () => {
    expect(hasScope(principal('runs:write'), 'runs:read')).toBe(false);
  });

  it('answers 403 forbidden naming the missing scope', async () => {
    const app = new Hono();
    app.post('/v1/runs', (c) => {
      requireScope(principal('runs:read'), 'runs:write');
      return c.text('started');
    });
    app.onError(errorHandler({ error: () => {}, warn: () => {} }));

    const response = await app.request('/v1/runs', { method: 'POST' });

    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('insufficient_scope');
    expect(await response.json()).toMatchObject({
      status: 403,
      code: 'forbidden',
      detail: expect.stringContaining('"runs:write" scope'),
    });
  });
});
