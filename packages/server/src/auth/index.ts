export { ApiKeyTable, generateApiKey, hashApiKey } from './api-key.js';
export { CREDENTIALS_HINT, forbidden, unauthorized } from './auth-problems.js';
export type { AuthenticatorOptions } from './create-authenticator.js';
export { ANONYMOUS_PRINCIPAL, createAuthenticator } from './create-authenticator.js';
export type { JwtConfig, JwtVerifier, JwtVerifierOptions } from './jwt-verifier.js';
export { createJwtVerifier } from './jwt-verifier.js';
export { ALL_SCOPES, hasScope, requireScope } from './require-scope.js';
