import { afterAll, describe, expect, it } from 'vitest';
import { createHarness, KEYS } from './support/harness.js';

const harness = await createHarness();
afterAll(() => harness.close());

describe('a known path with another method', () => {
  it.each([
    ['POST', '/health', 'GET, HEAD'],
    ['DELETE', '/v1/runs/some-run', 'GET, HEAD'],
    ['GET', '/v1/runs/some-run/cancel', 'POST'],
    ['PUT', '/v1/agents/assistant/runs', 'POST'],
    ['GET', '/v1/tools/calculator', 'POST'],
  ])('%s %s is 405 with Allow: %s', async (method, path, allow) => {
    const response = await harness.request(path, { method, key: KEYS.admin });

    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe(allow);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      status: 405,
      code: 'method-not-allowed',
      detail: expect.stringContaining(`takes ${allow}`),
    });
  });

  it('is still 404 for a path no route has', async () => {
    const response = await harness.request('/v1/nothing-here', { method: 'DELETE', key: KEYS.admin });

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'not-found' });
  });
});
