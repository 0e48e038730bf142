import type { AgentConfig, Logger } from '@agent/core';
import type { Authenticator, Principal } from '../contract.js';
import { ApiKeyTable } from './api-key.js';
import { unauthorized } from './auth-problems.js';
import { createJwtVerifier, type JwtVerifier } from './jwt-verifier.js';
import { ALL_SCOPES } from './require-scope.js';

/** Options of {@link createAuthenticator}. */
export interface AuthenticatorOptions {
  /** Source of the current time in ms, for JWT `exp` and `nbf`. @default Date.now */
  clock?: () => number;
  /** Warned when the JWKS cannot be fetched (callers only see a 401). */
  logger?: Pick<Logger, 'warn'>;
  /** How long one JWKS fetch may take, in ms. @default 5000 */
  jwksTimeoutMs?: number;
}

/** The principal of every request when no auth is configured. */
export const ANONYMOUS_PRINCIPAL: Principal = Object.freeze({
  subject: 'anonymous',
  tenant: 'default',
  scopes: new Set(ALL_SCOPES),
  method: 'anonymous',
});

// Three base64url parts; the last may be empty (`alg: none`), which must reach the verifier to be refused.
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Builds the {@link Authenticator} for `server.auth`. API keys arrive as `Authorization: Bearer
 * <key>` or `X-API-Key: <key>`; JWTs as `Authorization: Bearer <jwt>`. A bearer token shaped like
 * a JWT is verified as one when `jwt` is configured, and looked up as an API key otherwise.
 *
 * Without `apiKeys` or `jwt` the authenticator is disabled and every request is tenant `default`
 * with every scope. An `apiKeys: []` with nothing else stays enabled and refuses everything: an
 * empty list fails closed.
 *
 * @throws ConfigError for a malformed key hash, a duplicate key, or unusable JWT settings, so the
 *   server refuses to start rather than failing on the first request.
 *
 * @example
 * ```ts
 * const authenticator = createAuthenticator(config.server.auth);
 * const principal = await authenticator.authenticate(request.headers); // or throws a 401 HttpProblem
 * ```
 */
export function createAuthenticator(
  auth: AgentConfig['server']['auth'] | undefined,
  options: AuthenticatorOptions = {},
): Authenticator {
  if (auth === undefined || (auth.apiKeys === undefined && auth.jwt === undefined)) {
    return { enabled: false, authenticate: async () => ANONYMOUS_PRINCIPAL };
  }
  const apiKeys = new ApiKeyTable(auth.apiKeys ?? []);
  const verifyJwt: JwtVerifier | undefined = auth.jwt && createJwtVerifier(auth.jwt, options);

  return {
    enabled: true,
    async authenticate(headers: Headers): Promise<Principal> {
      const credential = readCredential(headers);
      if (credential.kind === 'bearer' && verifyJwt !== undefined && JWT_SHAPE.test(credential.value)) {
        return verifyJwt(credential.value);
      }
      if (apiKeys.size === 0) {
        throw unauthorized('This server accepts JWTs only, and the bearer token is not a JWT.', {
          invalid: true,
        });
      }
      const principal = apiKeys.find(credential.value);
      // Unknown and revoked keys get the same answer, so a caller cannot probe which keys exist.
      if (principal === undefined) throw unauthorized('The API key is not valid.', { invalid: true });
      return principal;
    },
  };
}

function readCredential(headers: Headers): { kind: 'bearer' | 'api-key'; value: string } {
  const authorization = headers.get('authorization');
  if (authorization !== null) {
    const match = BEARER.exec(authorization);
    if (!match) {
      throw unauthorized('The Authorization header is not of the form "Bearer <credential>".', {
        invalid: true,
      });
    }
    return { kind: 'bearer', value: match[1] as string };
  }
  const apiKey = headers.get('x-api-key')?.trim();
  if (apiKey) return { kind: 'api-key', value: apiKey };
  throw unauthorized('This request needs credentials.');
}
