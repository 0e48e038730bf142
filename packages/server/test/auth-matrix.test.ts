import { afterAll, describe, expect, it } from 'vitest';
import { createHarness, KEYS, runToEnd, startRun } from './support/harness.js';
import { fetchOpenApi, operationsOf } from './support/openapi.js';

const harness = await createHarness();
afterAll(() => harness.close());

const document = await fetchOpenApi(harness);
const acmeRun = await startRun(harness, 'finished run');
await runToEnd(harness, acmeRun);

/** A request to every protected operation, with the scope it needs, keyed by `METHOD /path`. */
const PROTECTED: Record<
  string,
  { path: string; scope: 'runs:read' | 'runs:write' | 'tools:call'; init?: RequestInit }
> = {
  'POST /v1/agents/{agent}/runs': {
    path: '/v1/agents/assistant/runs',
    scope: 'runs:write',
    init: {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ input: 'x', mode: 'async' }),
    },
  },
  'GET /v1/runs': { path: '/v1/runs', scope: 'runs:read' },
  'GET /v1/runs/{id}': { path: `/v1/runs/${acmeRun}`, scope: 'runs:read' },
  'GET /v1/runs/{id}/events': { path: `/v1/runs/${acmeRun}/events`, scope: 'runs:read' },
  'POST /v1/runs/{id}/cancel': {
    path: `/v1/runs/${acmeRun}/cancel`,
    scope: 'runs:write',
    init: { method: 'POST' },
  },
  'GET /v1/events': { path: '/v1/events', scope: 'runs:read' },
  'GET /v1/agents': { path: '/v1/agents', scope: 'runs:read' },
  'GET /v1/tools': { path: '/v1/tools', scope: 'runs:read' },
  'POST /v1/tools/{tool}': {
    path: '/v1/tools/current_time',
    scope: 'tools:call',
    init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' },
  },
};

const protectedOperations = operationsOf(document).filter(
  ({ operation }) => (operation.security ?? []).length > 0,
);

it('covers every operation the document marks as protected', () => {
  expect(protectedOperations.map(({ method, path }) => `${method} ${path}`).sort()).toEqual(
    Object.keys(PROTECTED).sort(),
  );
});

const send = (path: string, init: RequestInit | undefined, headers: Record<string, string>) => {
  const merged = new Headers(init?.headers);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  return harness.app.request(path, { ...init, headers: merged });
};

const CREDENTIALS: [string, Record<string, string>][] = [
  ['no credential', {}],
  ['a malformed Authorization header', { Authorization: 'Basic dXNlcjpwYXNz' }],
  ['a Bearer without a token', { Authorization: 'Bearer ' }],
  ['a token with control characters', { Authorization: 'Bearer agk_\u0001bad' }],
  ['a wrong API key', { Authorization: 'Bearer agk_test_wrong_key_0123456789abcdefghi' }],
  ['a wrong X-API-Key', { 'X-API-Key': 'agk_test_wrong_key_0123456789abcdefghi' }],
  ['a revoked API key', { Authorization: `Bearer ${KEYS.revoked}` }],
  ['a revoked X-API-Key', { 'X-API-Key': KEYS.revoked }],
  ['a JWT-shaped token nobody signed', { Authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }],
];

describe.each(Object.entries(PROTECTED))('%s', (_operation, { path, scope, init }) => {
  it.each(CREDENTIALS)('answers 401 problem for %s', async (_name, headers) => {
    const response = await send(path, init, headers);

    expect(response.status).toBe(401);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    expect(await response.json()).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it(`answers 403 problem for a key without ${scope}`, async () => {
    const key = scope === 'runs:write' ? KEYS.acmeReader : KEYS.acmeWriter;

    const response = await send(path, init, { Authorization: `Bearer ${key}` });

    expect(response.status).toBe(403);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('answers 401 the same way whether the key is wrong or revoked', async () => {
    const wrong = await send(path, init, { Authorization: 'Bearer agk_test_wrong_key_0123456789abcdefghi' });
    const revoked = await send(path, init, { Authorization: `Bearer ${KEYS.revoked}` });

    expect(normalise(await revoked.json())).toEqual(normalise(await wrong.json()));
  });
});

/** The body without what differs per request: the request id, and the run id in the path. */
function normalise(body: unknown, runId?: string): unknown {
  const { requestId: _requestId, instance, ...rest } = body as { requestId?: string; instance?: string };
  return { ...rest, instance: runId === undefined ? instance : instance?.replace(runId, '<id>') };
}

describe("another tenant's run", () => {
  const liveRun = startRun(harness, 'running [hold:isolation]');

  const ID_ROUTES: Record<string, (id: string) => [string, RequestInit?]> = {
    'GET /v1/runs/{id}': (id) => [`/v1/runs/${id}`],
    'GET /v1/runs/{id}/events': (id) => [`/v1/runs/${id}/events`],
    'GET /v1/runs/{id}/events (JSON)': (id) => [
      `/v1/runs/${id}/events`,
      { headers: { Accept: 'application/json' } },
    ],
    'GET /v1/runs/{id}/events (resumed)': (id) => [`/v1/runs/${id}/events?after=1`],
    'POST /v1/runs/{id}/cancel': (id) => [`/v1/runs/${id}/cancel`, { method: 'POST' }],
  };

  it('is tested on every operation with a run id', () => {
    const withId = operationsOf(document)
      .filter(({ path }) => path.includes('{id}'))
      .map(({ method, path }) => `${method} ${path}`);
    expect(withId.sort()).toEqual(
      Object.keys(ID_ROUTES)
        .filter((name) => !name.includes('('))
        .sort(),
    );
  });

  describe.each(Object.entries(ID_ROUTES))('%s', (_name, route) => {
    it.each([
      ['finished', () => Promise.resolve(acmeRun)],
      ['running', () => liveRun],
    ])('answers 404 for a %s run exactly as for an unknown id', async (_state, runIdOf) => {
      const runId = await runIdOf();
      const unknownId = crypto.randomUUID();
      const [path, init] = route(runId);
      const [unknownPath, unknownInit] = route(unknownId);

      const foreign = await send(path, init, { Authorization: `Bearer ${KEYS.globex}` });
      const unknown = await send(unknownPath, unknownInit, { Authorization: `Bearer ${KEYS.globex}` });

      expect(foreign.status).toBe(404);
      expect(unknown.status).toBe(404);
      expect([...foreign.headers.keys()].sort()).toEqual([...unknown.headers.keys()].sort());
      expect(normalise(await foreign.json(), runId)).toEqual(normalise(await unknown.json(), unknownId));
      // The run is there for its own tenant: the 404 is the isolation, not a missing run.
      expect((await harness.request(`/v1/runs/${runId}`, { key: KEYS.acme })).status).toBe(200);
    });
  });

  afterAll(async () => {
    harness.gates.open('isolation');
    // The other tenant's cancel requests did not touch it.
    expect(await runToEnd(harness, await liveRun)).toContain('"status":"completed"');
  });
});

describe('admin', () => {
  it("sees another tenant's run", async () => {
    const response = await harness.request(`/v1/runs/${acmeRun}`, { key: KEYS.admin });

    expect(response.status).toBe(200);
  });
});
