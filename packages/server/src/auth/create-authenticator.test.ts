import type { AgentConfig } from '@agent/core';
import { ConfigError, noopLogger } from '@agent/core';
import { defaultLogContext } from '@agent/observability';
import { Hono } from 'hono';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Authenticator } from '../contract.js';
import { authenticate } from '../http/middleware/authenticate.js';
import { errorHandler } from '../http/middleware/error-handler.js';
import { requestId } from '../http/middleware/request-id.js';
import { type JwksServer, startJwksServer, unreachableUrl } from './__fixtures__/jwks-server.js';
import { generateApiKey, hashApiKey } from './api-key.js';
import { createAuthenticator } from './create-authenticator.js';

type AuthConfig = NonNullable<AgentConfig['server']['auth']>;
type JwtConfig = NonNullable<AuthConfig['jwt']>;

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const nowSeconds = NOW / 1000;
const clock = () => NOW;
const SECRET = 'a-test-secret-that-is-long-enough-for-hs256!';
const secretKey = new TextEncoder().encode(SECRET);

const plainKey = 'agk_plain-key-for-tests';
const hashed = generateApiKey();
const revoked = generateApiKey();

const apiKeys: AuthConfig['apiKeys'] = [
  { name: 'ci', hash: hashed.hash, tenant: 'acme', scopes: ['runs:write', 'runs:read'], revoked: false },
  { name: 'reader', key: plainKey, tenant: 'globex', scopes: ['runs:read'], revoked: false },
  { name: 'old', hash: revoked.hash, tenant: 'acme', scopes: ['admin'], revoked: true },
];

function jwtConfig(overrides: Partial<JwtConfig> = {}): JwtConfig {
  return { secret: SECRET, clockToleranceSeconds: 5, ...overrides };
}

/** A small app: auth in front of a route that echoes the principal and the log context. */
function appWith(authenticator: Authenticator) {
  const app = new Hono();
  app.use(requestId(), authenticate(authenticator));
  app.get('/whoami', (c) => {
    const principal = c.get('principal');
    return c.json({
      subject: principal.subject,
      tenant: principal.tenant,
      scopes: [...principal.scopes].sort(),
      method: principal.method,
      logTenant: defaultLogContext.get()?.tenant,
    });
  });
  app.onError(errorHandler(noopLogger));
  return app;
}

async function call(authenticator: Authenticator, headers: Record<string, string> = {}) {
  const response = await appWith(authenticator).request('/whoami', { headers });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

function hsToken(claims: Record<string, unknown> = {}, options: { alg?: string; key?: Uint8Array } = {}) {
  const payload = {
    sub: 'user-1',
    iat: nowSeconds,
    exp: nowSeconds + 300,
    tenant: 'acme',
    scope: 'runs:read',
  };
  return new SignJWT({ ...payload, ...claims })
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .sign(options.key ?? secretKey);
}

function expectUnauthorized({ response, body }: Awaited<ReturnType<typeof call>>, detail: RegExp) {
  expect(response.status).toBe(401);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  expect(body).toMatchObject({ status: 401, code: 'unauthorized' });
  expect(body.detail).toMatch(detail);
  expect(body.detail).toContain('Send Authorization: Bearer <API key or JWT> or X-API-Key');
}

describe('createAuthenticator without auth', () => {
  it('is disabled and lets every request in as tenant default with every scope', async () => {
    const authenticator = createAuthenticator(undefined);

    const { response, body } = await call(authenticator);

    expect(authenticator.enabled).toBe(false);
    expect(response.status).toBe(200);
    expect(body).toEqual({
      subject: 'anonymous',
      tenant: 'default',
      scopes: ['admin', 'runs:read', 'runs:write', 'tools:call'],
      method: 'anonymous',
      logTenant: 'default',
    });
  });

  it('is disabled for an auth section with neither apiKeys nor jwt', () => {
    expect(createAuthenticator({}).enabled).toBe(false);
  });

  it('stays enabled and refuses everything with an empty key list', async () => {
    const authenticator = createAuthenticator({ apiKeys: [] });

    const result = await call(authenticator, { 'X-API-Key': plainKey });

    expect(authenticator.enabled).toBe(true);
    expectUnauthorized(result, /JWTs only|not valid/);
  });
});

describe('createAuthenticator with API keys', () => {
  const authenticator = createAuthenticator({ apiKeys });

  it('refuses a request without credentials, saying what to send', async () => {
    const result = await call(authenticator);

    expectUnauthorized(result, /needs credentials/);
    expect(result.response.headers.get('www-authenticate')).toBe('Bearer realm="agent-server"');
  });

  it('refuses an Authorization header that is not a bearer credential', async () => {
    const result = await call(authenticator, { Authorization: 'Basic dXNlcjpwYXNz' });

    expectUnauthorized(result, /not of the form "Bearer <credential>"/);
    expect(result.response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('refuses an empty bearer credential', async () => {
    expectUnauthorized(await call(authenticator, { Authorization: 'Bearer ' }), /Bearer <credential>/);
  });

  it('refuses a wrong key', async () => {
    expectUnauthorized(
      await call(authenticator, { Authorization: 'Bearer agk_wrong' }),
      /API key is not valid/,
    );
  });

  it('refuses a revoked key with the same answer as a wrong one', async () => {
    const wrong = await call(authenticator, { Authorization: 'Bearer agk_wrong' });
    const old = await call(authenticator, { Authorization: `Bearer ${revoked.key}` });

    expectUnauthorized(old, /API key is not valid/);
    expect(old.body.detail).toBe(wrong.body.detail);
  });

  it('accepts a key configured by its hash', async () => {
    const { response, body } = await call(authenticator, { Authorization: `Bearer ${hashed.key}` });

    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      subject: 'ci',
      tenant: 'acme',
      scopes: ['runs:read', 'runs:write'],
      method: 'api-key',
      logTenant: 'acme',
    });
  });

  it('accepts a key configured in plain text', async () => {
    const { body } = await call(authenticator, { Authorization: `bearer  ${plainKey}` });

    expect(body).toMatchObject({ subject: 'reader', tenant: 'globex', scopes: ['runs:read'] });
  });

  it('accepts a key sent as X-API-Key', async () => {
    const { response, body } = await call(authenticator, { 'X-API-Key': hashed.key });

    expect(response.status).toBe(200);
    expect(body).toMatchObject({ subject: 'ci', tenant: 'acme' });
  });

  it('looks up a JWT-shaped bearer token as an API key when no JWT is configured', async () => {
    const token = await hsToken();

    expectUnauthorized(
      await call(authenticator, { Authorization: `Bearer ${token}` }),
      /API key is not valid/,
    );
  });

  it('accepts an uppercase hash and refuses a malformed one with a ConfigError naming the key', () => {
    const upper = { ...apiKeys[0], hash: hashed.hash.toUpperCase().replace('SHA256:', 'sha256:') };
    expect(createAuthenticator({ apiKeys: [upper] as AuthConfig['apiKeys'] }).enabled).toBe(true);

    const bad = () =>
      createAuthenticator({
        apiKeys: [{ name: 'broken', hash: 'md5:abc', tenant: 't', scopes: ['runs:read'], revoked: false }],
      });

    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/"broken".*sha256:<64 hex digits>/);
  });

  it('refuses two entries for the same key', () => {
    const twice = () =>
      createAuthenticator({
        apiKeys: [
          { name: 'a', key: plainKey, tenant: 't', scopes: ['runs:read'], revoked: false },
          { name: 'b', hash: hashApiKey(plainKey), tenant: 't', scopes: ['runs:read'], revoked: false },
        ],
      });

    expect(twice).toThrow(/"a" and "b" are the same key/);
  });
});

describe('createAuthenticator with a JWT secret', () => {
  const authenticator = createAuthenticator(
    { apiKeys, jwt: jwtConfig({ issuer: 'https://issuer.test', audience: 'agent-api' }) },
    { clock },
  );
  const valid = (claims: Record<string, unknown> = {}) =>
    hsToken({ iss: 'https://issuer.test', aud: 'agent-api', ...claims });

  it('accepts a valid HS256 token and maps its claims', async () => {
    const token = await valid({ scope: 'runs:read runs:write other:thing' });

    const { response, body } = await call(authenticator, { Authorization: `Bearer ${token}` });

    expect(response.status).toBe(200);
    expect(body).toEqual({
      subject: 'user-1',
      tenant: 'acme',
      scopes: ['runs:read', 'runs:write'],
      method: 'jwt',
      logTenant: 'acme',
    });
  });

  it('accepts HS512 too', async () => {
    const key = new TextEncoder().encode('x'.repeat(64));
    const strong = createAuthenticator({ jwt: jwtConfig({ secret: 'x'.repeat(64) }) }, { clock });
    const token = await hsToken({}, { alg: 'HS512', key });

    expect((await call(strong, { Authorization: `Bearer ${token}` })).response.status).toBe(200);
  });

  it('still accepts API keys next to JWTs', async () => {
    expect((await call(authenticator, { Authorization: `Bearer ${hashed.key}` })).body.subject).toBe('ci');
  });

  it('refuses an expired token', async () => {
    const token = await valid({ exp: nowSeconds - 60 });

    expectUnauthorized(await call(authenticator, { Authorization: `Bearer ${token}` }), /expired/);
  });

  it('accepts a token expired within the clock tolerance', async () => {
    const token = await valid({ exp: nowSeconds - 3 });

    expect((await call(authenticator, { Authorization: `Bearer ${token}` })).response.status).toBe(200);
  });

  it('refuses a token that is not valid yet', async () => {
    const token = await valid({ nbf: nowSeconds + 60 });

    expectUnauthorized(await call(authenticator, { Authorization: `Bearer ${token}` }), /not valid yet/);
  });

  it('refuses a token without exp', async () => {
    const token = await new SignJWT({ tenant: 'acme', iss: 'https://issuer.test', aud: 'agent-api' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .sign(secretKey);

    expectUnauthorized(await call(authenticator, { Authorization: `Bearer ${token}` }), /no exp claim/);
  });

  it('refuses a token from another issuer', async () => {
    const token = await valid({ iss: 'https://evil.test' });

    expectUnauthorized(await call(authenticator, { Authorization: `Bearer ${token}` }), /issuer/);
  });

  it('refuses a token for another audience', async () => {
    const token = await valid({ aud: 'someone-else' });

    expectUnauthorized(await call(authenticator, { Authorization: `Bearer ${token}` }), /audience/);
  });

  it('refuses a token signed with another secret', async () => {
    const token = await hsToken(
      {},
      { key: new TextEncoder().encode('another-secret-that-is-long-enough-too!!') },
    );

    expectUnauthorized(await call(authenticator, { Authorization: `Bearer ${token}` }), /signature/);
  });

  it('refuses alg none', async () => {
    const token = new UnsecuredJWT({ tenant: 'acme', iss: 'https://issuer.test', aud: 'agent-api' })
      .setSubject('user-1')
      .setExpirationTime(nowSeconds + 300)
      .encode();

    expect(token.endsWith('.')).toBe(true);
    expectUnauthorized(
      await call(authenticator, { Authorization: `Bearer ${token}` }),
      /algorithm or signature/,
    );
  });

  it('refuses a token without the tenant claim, naming the claim', async () => {
    const token = await valid({ tenant: undefined });

    expectUnauthorized(await call(authenticator, { Authorization: `Bearer ${token}` }), /no "tenant" claim/);
  });

  it('refuses a token without sub', async () => {
    const token = await new SignJWT({ tenant: 'acme', iss: 'https://issuer.test', aud: 'agent-api' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(nowSeconds + 300)
      .sign(secretKey);

    expectUnauthorized(await call(authenticator, { Authorization: `Bearer ${token}` }), /no "sub" claim/);
  });

  it('refuses a garbled JWT-shaped token', async () => {
    expectUnauthorized(await call(authenticator, { Authorization: 'Bearer abc.def.ghi' }), /malformed/);
  });

  it('refuses a bearer token that is not a JWT when only JWTs are configured', async () => {
    const jwtOnly = createAuthenticator({ jwt: jwtConfig() }, { clock });

    expectUnauthorized(await call(jwtOnly, { Authorization: 'Bearer agk_x' }), /JWTs only/);
  });
});

describe('JWT claim mapping', () => {
  async function principalOf(config: Partial<JwtConfig>, claims: Record<string, unknown>) {
    const authenticator = createAuthenticator({ jwt: jwtConfig(config) }, { clock });
    const token = await hsToken(claims);
    return call(authenticator, { Authorization: `Bearer ${token}` });
  }

  it('reads scopes from a scopes array by default, ignoring unknown ones', async () => {
    const { body } = await principalOf({}, { scope: undefined, scopes: ['admin', 'billing:read', 42] });

    expect(body.scopes).toEqual(['admin']);
  });

  it('gives no scopes when the token has none', async () => {
    const { body } = await principalOf({}, { scope: undefined });

    expect(body.scopes).toEqual([]);
  });

  it('reads a configured scopes claim, as an array or a string', async () => {
    const fromArray = await principalOf({ scopesClaim: 'permissions' }, { permissions: ['runs:write'] });
    const fromString = await principalOf({ scopesClaim: 'permissions' }, { permissions: 'runs:read admin' });

    expect(fromArray.body.scopes).toEqual(['runs:write']);
    expect(fromString.body.scopes).toEqual(['admin', 'runs:read']);
  });

  it('reads a nested scopes claim by dotted path', async () => {
    const { body } = await principalOf(
      { scopesClaim: 'realm_access.roles' },
      { realm_access: { roles: ['runs:read'] } },
    );

    expect(body.scopes).toEqual(['runs:read']);
  });

  it('reads the tenant from a configured claim, namespaced URLs included', async () => {
    const { body } = await principalOf(
      { tenantClaim: 'https://example.com/org' },
      { 'https://example.com/org': 'initech' },
    );

    expect(body.tenant).toBe('initech');
  });

  it('names a missing configured tenant claim', async () => {
    const result = await principalOf({ tenantClaim: 'org.id' }, { org: 'flat' });

    expectUnauthorized(result, /no "org\.id" claim/);
  });
});

describe('JWT configuration checks', () => {
  it('refuses a secret shorter than HS256 needs', () => {
    expect(() => createAuthenticator({ jwt: jwtConfig({ secret: 'short' }) })).toThrow(
      /5 bytes; HS256 needs at least 32/,
    );
  });

  it('refuses an explicitly listed HMAC algorithm the secret is too short for', () => {
    const config = jwtConfig({ algorithms: ['HS512'] });

    expect(() => createAuthenticator({ jwt: config })).toThrow(/HS512 needs at least 64/);
  });

  it('refuses an asymmetric algorithm with a secret', () => {
    expect(() => createAuthenticator({ jwt: jwtConfig({ algorithms: ['RS256'] }) })).toThrow(
      /RS256 cannot be verified with a shared secret/,
    );
  });

  it('refuses HMAC algorithms with a JWKS URL', () => {
    const config: JwtConfig = {
      jwksUrl: 'http://127.0.0.1:1/jwks',
      algorithms: ['HS256'],
      clockToleranceSeconds: 5,
    };

    expect(() => createAuthenticator({ jwt: config })).toThrow(/HS256 cannot be used with jwksUrl/);
  });

  it('narrows HMAC algorithms to what the configured list allows', async () => {
    const authenticator = createAuthenticator({ jwt: jwtConfig({ algorithms: ['HS256'] }) }, { clock });
    const hs384 = await hsToken({}, { alg: 'HS384', key: secretKey });

    // The secret is 44 bytes, long enough for HS256 only among the listed algorithms.
    expectUnauthorized(await call(authenticator, { Authorization: `Bearer ${hs384}` }), /algorithm/);
  });
});

describe('createAuthenticator with a JWKS URL', () => {
  let jwks: JwksServer;
  let authenticator: Authenticator;

  beforeAll(async () => {
    jwks = await startJwksServer();
    authenticator = createAuthenticator(
      { jwt: { jwksUrl: jwks.url, issuer: 'https://issuer.test', clockToleranceSeconds: 5 } },
      { clock },
    );
  });
  afterAll(() => jwks.close());

  function signWith(key: JwksServer['rsa'], claims: Record<string, unknown> = {}) {
    const payload = { sub: 'service-a', exp: nowSeconds + 300, tenant: 'acme', scope: 'runs:read' };
    return new SignJWT({ ...payload, iss: 'https://issuer.test', ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .sign(key.privateKey);
  }

  it('accepts an RS256 token signed by a key in the set', async () => {
    const { response, body } = await call(authenticator, {
      Authorization: `Bearer ${await signWith(jwks.rsa)}`,
    });

    expect(response.status).toBe(200);
    expect(body).toMatchObject({ subject: 'service-a', tenant: 'acme', method: 'jwt' });
    expect(jwks.requests).toBeGreaterThan(0);
  });

  it('accepts an ES256 token signed by a key in the set', async () => {
    const { response } = await call(authenticator, { Authorization: `Bearer ${await signWith(jwks.ec)}` });

    expect(response.status).toBe(200);
  });

  it('refuses an HS256 token signed with the public key (algorithm confusion)', async () => {
    const confused = await new SignJWT({ tenant: 'acme', iss: 'https://issuer.test' })
      .setProtectedHeader({ alg: 'HS256', kid: jwks.rsa.kid })
      .setSubject('attacker')
      .setExpirationTime(nowSeconds + 300)
      .sign(new TextEncoder().encode(jwks.rsa.publicPem));

    expectUnauthorized(
      await call(authenticator, { Authorization: `Bearer ${confused}` }),
      /algorithm or signature/,
    );
  });

  it('refuses alg none', async () => {
    const token = new UnsecuredJWT({ tenant: 'acme', iss: 'https://issuer.test' })
      .setSubject('attacker')
      .setExpirationTime(nowSeconds + 300)
      .encode();

    expectUnauthorized(
      await call(authenticator, { Authorization: `Bearer ${token}` }),
      /algorithm or signature/,
    );
  });

  it('refuses an expired RS256 token', async () => {
    const token = await signWith(jwks.rsa, { exp: nowSeconds - 600 });

    expectUnauthorized(await call(authenticator, { Authorization: `Bearer ${token}` }), /expired/);
  });

  it('refuses an algorithm outside the configured list', async () => {
    const rsOnly = createAuthenticator(
      { jwt: { jwksUrl: jwks.url, algorithms: ['RS256'], clockToleranceSeconds: 5 } },
      { clock },
    );

    expectUnauthorized(
      await call(rsOnly, { Authorization: `Bearer ${await signWith(jwks.ec)}` }),
      /algorithm/,
    );
    expect(
      (await call(rsOnly, { Authorization: `Bearer ${await signWith(jwks.rsa)}` })).response.status,
    ).toBe(200);
  });

  it('answers 401, not 500, when the key set is unreachable, and warns the operator', async () => {
    const warn = vi.fn();
    const offline = createAuthenticator(
      { jwt: { jwksUrl: await unreachableUrl(), clockToleranceSeconds: 5 } },
      { clock, logger: { warn } },
    );

    const result = await call(offline, { Authorization: `Bearer ${await signWith(jwks.rsa)}` });

    expectUnauthorized(result, /could not be verified right now/);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('JWKS'),
      expect.objectContaining({ error: expect.anything() }),
    );
  });

  it('answers 401 when the key set endpoint fails', async () => {
    const broken = await startJwksServer();
    broken.failing = true;
    const failing = createAuthenticator(
      { jwt: { jwksUrl: broken.url, clockToleranceSeconds: 5 } },
      { clock },
    );

    try {
      const result = await call(failing, { Authorization: `Bearer ${await signWith(jwks.rsa)}` });

      expectUnauthorized(result, /could not be verified right now/);
      expect(broken.requests).toBe(1);
    } finally {
      await broken.close();
    }
  });
});
