/**
 * Object keys whose values are secrets whatever they look like: a password is not recognisable
 * by its shape, only by where it sits. Matched after {@link normalizeKey}, so `X-Api-Key`,
 * `api_key` and `apiKey` are one entry.
 */
export const DEFAULT_SENSITIVE_KEYS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'apiKey',
  'api_key',
  'x-api-key',
  'password',
  'passwd',
  'secret',
  'clientSecret',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'cookie',
  'set-cookie',
];

/**
 * The form keys are compared in: lower case, without `-` and `_`. Exact match after that, so
 * `inputTokens` or `tokenCount` are not caught by `token`.
 */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** A test for "is this key's value a secret", over the defaults plus `extraKeys`. */
export function createKeyMatcher(extraKeys: readonly string[]): (key: string) => boolean {
  const keys = new Set([...DEFAULT_SENSITIVE_KEYS, ...extraKeys].map(normalizeKey));
  return (key) => keys.has(normalizeKey(key));
}
