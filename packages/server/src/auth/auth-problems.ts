import type { Scope } from '../contract.js';
import { HttpProblem } from '../http/http-problem.js';

/** What every 401 tells the caller to send. */
export const CREDENTIALS_HINT = 'Send Authorization: Bearer <API key or JWT> or X-API-Key: <API key>.';

const REALM = 'Bearer realm="agent-server"';

/**
 * A 401 problem with `WWW-Authenticate: Bearer`. `invalid` adds `error="invalid_token"` (RFC
 * 6750) when a credential was sent but refused, as opposed to none sent at all.
 */
export function unauthorized(
  detail: string,
  options: { invalid?: boolean; cause?: unknown } = {},
): HttpProblem {
  return new HttpProblem({
    status: 401,
    code: 'unauthorized',
    detail: `${detail} ${CREDENTIALS_HINT}`,
    headers: { 'WWW-Authenticate': options.invalid ? `${REALM}, error="invalid_token"` : REALM },
    ...(options.cause !== undefined ? { cause: options.cause } : {}),
  });
}

/** A 403 problem naming the scope the caller lacks. */
export function forbidden(scope: Scope): HttpProblem {
  return new HttpProblem({
    status: 403,
    code: 'forbidden',
    detail: `This request needs the "${scope}" scope, which your credential does not grant. Use an API key or token with "${scope}" (or "admin").`,
    headers: { 'WWW-Authenticate': `${REALM}, error="insufficient_scope", scope="${scope}"` },
  });
}
