import { type AgentConfig, ConfigError, type Logger } from '@agent/core';
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import type { Principal, Scope } from '../contract.js';
import type { HttpProblem } from '../http/http-problem.js';
import { unauthorized } from './auth-problems.js';
import { ALL_SCOPES } from './require-scope.js';

/** The `server.auth.jwt` section of the config. */
export type JwtConfig = NonNullable<NonNullable<AgentConfig['server']['auth']>['jwt']>;
type JwtAlgorithm = NonNullable<JwtConfig['algorithms']>[number];

/** Shortest secret each HMAC algorithm accepts: the hash size (RFC 7518, section 3.2). */
const HMAC_MIN_BYTES: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 };
const ASYMMETRIC: readonly JwtAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** Options of {@link createJwtVerifier}. */
export interface JwtVerifierOptions {
  /** Source of the current time in ms (for exp and nbf). @default Date.now */
  clock?: () => number;
  /** Told when the key set cannot be fetched: the operator's problem, not the caller's. */
  logger?: Pick<Logger, 'warn'>;
  /** How long one fetch of the key set may take. @default 5000 */
  jwksTimeoutMs?: number;
}

/** Verifies a JWT and maps its claims to a principal; rejects with a 401 `HttpProblem`. */
export type JwtVerifier = (token: string) => Promise<Principal>;

/**
 * Builds the JWT verifier for `config`. The accepted algorithms come from how keys are
 * configured, never from the token: a `secret` verifies HS256/384/512 only, a `jwksUrl`
 * asymmetric algorithms only, so an HS256 token signed with a public key (algorithm confusion)
 * and `alg: none` are refused. `config.algorithms` narrows further. Tokens must carry `exp`.
 *
 * @throws ConfigError when `algorithms` lists an algorithm the key source cannot verify, or the
 *   secret is shorter than its algorithm's hash.
 */
export function createJwtVerifier(config: JwtConfig, options: JwtVerifierOptions = {}): JwtVerifier {
  const { key, algorithms } = keyAndAlgorithms(config, options);
  const clock = options.clock;
  const verifyOptions = {
    algorithms,
    clockTolerance: config.clockToleranceSeconds,
    requiredClaims: ['exp'],
    ...(config.issuer !== undefined ? { issuer: config.issuer } : {}),
    ...(config.audience !== undefined ? { audience: config.audience } : {}),
  };

  return async (token) => {
    let payload: JWTPayload;
    try {
      const current = clock ? { currentDate: new Date(clock()) } : {};
      // `key` is a Uint8Array or a key-set function; jose's overloads take either.
      ({ payload } =
        key instanceof Uint8Array
          ? await jwtVerify(token, key, { ...verifyOptions, ...current })
          : await jwtVerify(token, key, { ...verifyOptions, ...current }));
    } catch (error) {
      throw verificationProblem(error, options.logger);
    }
    return principalFromClaims(payload, config);
  };
}

function keyAndAlgorithms(
  config: JwtConfig,
  options: JwtVerifierOptions,
): { key: Uint8Array | ReturnType<typeof createRemoteJWKSet>; algorithms: string[] } {
  if (config.secret !== undefined) {
    const secret = new TextEncoder().encode(config.secret);
    const listed = config.algorithms ?? ['HS256', 'HS384', 'HS512'];
    for (const algorithm of listed) {
      const minimum = HMAC_MIN_BYTES[algorithm];
      if (minimum === undefined) {
        throw jwtConfigError(
          'algorithms',
          `${algorithm} cannot be verified with a shared secret`,
          'list only HS256, HS384 or HS512 with secret, or use jwksUrl for asymmetric keys',
        );
      }
      if (config.algorithms !== undefined && secret.length < minimum) {
        throw jwtConfigError(
          'secret',
          `the secret is ${secret.length} bytes; ${algorithm} needs at least ${minimum}`,
          'use a longer random secret, e.g. openssl rand -base64 48',
        );
      }
    }
    const algorithms = listed.filter((algorithm) => secret.length >= (HMAC_MIN_BYTES[algorithm] ?? 0));
    if (algorithms.length === 0) {
      throw jwtConfigError(
        'secret',
        `the secret is ${secret.length} bytes; HS256 needs at least 32`,
        'use a longer random secret, e.g. openssl rand -base64 48',
      );
    }
    return { key: secret, algorithms };
  }
  // The schema guarantees exactly one of secret and jwksUrl.
  const jwksUrl = config.jwksUrl as string;
  const listed = config.algorithms ?? ASYMMETRIC;
  const symmetric = listed.filter((algorithm) => !ASYMMETRIC.includes(algorithm));
  if (symmetric.length > 0) {
    throw jwtConfigError(
      'algorithms',
      `${symmetric.join(', ')} cannot be used with jwksUrl: a token signed with the public key as an HMAC secret would pass`,
      'list only RS*, PS*, ES* or EdDSA algorithms with jwksUrl',
    );
  }
  const key = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: options.jwksTimeoutMs ?? 5000 });
  return { key, algorithms: [...listed] };
}

/** Token problems a caller can fix by sending another token; anything else is the key set's fault. */
const TOKEN_ERROR_CODES: ReadonlySet<string> = new Set([
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
  errors.JWSInvalid.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JWTInvalid.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
]);

function verificationProblem(error: unknown, logger: Pick<Logger, 'warn'> | undefined): HttpProblem {
  const invalid = { invalid: true, cause: error };
  if (error instanceof errors.JWTExpired) return unauthorized('The token has expired.', invalid);
  if (error instanceof errors.JWTClaimValidationFailed) {
    const detail =
      error.claim === 'nbf'
        ? 'The token is not valid yet (nbf).'
        : error.claim === 'iss'
          ? 'The token was issued by an issuer this server does not accept.'
          : error.claim === 'aud'
            ? 'The token is not meant for this audience.'
            : error.claim === 'exp' && error.reason === 'missing'
              ? 'The token has no exp claim; only expiring tokens are accepted.'
              : `The token's "${error.claim}" claim is not valid.`;
    return unauthorized(detail, invalid);
  }
  if (error instanceof errors.JOSEError && TOKEN_ERROR_CODES.has(error.code)) {
    return unauthorized('The token is malformed, or its algorithm or signature is not accepted.', invalid);
  }
  // The key set could not be fetched or read: say so in the logs, not to the caller.
  logger?.warn('JWT verification failed: the JWKS could not be fetched or read', { error });
  return unauthorized('The token could not be verified right now; try again shortly.', invalid);
}

function principalFromClaims(payload: JWTPayload, config: JwtConfig): Principal {
  const tenantClaim = config.tenantClaim ?? 'tenant';
  const tenant = claimValue(payload, tenantClaim);
  if (typeof tenant !== 'string' || tenant === '') {
    throw unauthorized(`The token has no "${tenantClaim}" claim naming the tenant.`, { invalid: true });
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    throw unauthorized('The token has no "sub" claim naming the caller.', { invalid: true });
  }
  const claimed =
    config.scopesClaim !== undefined
      ? scopeStrings(claimValue(payload, config.scopesClaim))
      : [...scopeStrings(payload.scope), ...scopeStrings(payload.scopes)];
  // Scopes meant for other services share the claim; those are not ours to interpret.
  const scopes = new Set<Scope>(ALL_SCOPES.filter((scope) => claimed.includes(scope)));
  return { subject: payload.sub, tenant, scopes, method: 'jwt' };
}

/** A top-level claim by name (`https://example.com/tenant` works), else a dotted path. */
function claimValue(payload: JWTPayload, name: string): unknown {
  if (Object.hasOwn(payload, name)) return payload[name];
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A space-separated string or an array of strings, as OAuth servers send scopes. */
function scopeStrings(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((scope) => scope !== '');
  if (Array.isArray(value)) return value.filter((scope): scope is string => typeof scope === 'string');
  return [];
}

function jwtConfigError(field: string, message: string, fix: string): ConfigError {
  const path = `server.auth.jwt.${field}`;
  return new ConfigError(`${path}: ${message}. Fix: ${fix}.`, {
    issues: [{ file: '<config>', path, message, fix }],
  });
}
