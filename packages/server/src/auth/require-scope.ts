import type { Principal, Scope } from '../contract.js';
import { forbidden } from './auth-problems.js';

/** Every scope, in the order the docs list them. */
export const ALL_SCOPES: readonly Scope[] = ['runs:write', 'runs:read', 'tools:call', 'admin'];

/** True when `principal` may act with `scope`; `admin` implies every scope. */
export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.has('admin') || principal.scopes.has(scope);
}

/**
 * Throws an `HttpProblem` 403 `forbidden` naming `scope` unless `principal` has it (or `admin`).
 *
 * @example
 * ```ts
 * app.post('/v1/runs', (c) => {
 *   requireScope(c.get('principal'), 'runs:write');
 *   // ...
 * });
 * ```
 */
export function requireScope(principal: Principal, scope: Scope): void {
  if (!hasScope(principal, scope)) throw forbidden(scope);
}
