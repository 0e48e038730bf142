import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type AgentConfig, ConfigError } from '@agent/core';
import type { Principal, Scope } from '../contract.js';

type ApiKeyConfig = NonNullable<NonNullable<AgentConfig['server']['auth']>['apiKeys']>[number];

const HASH_PATTERN = /^sha256:[0-9a-f]{64}$/;

/**
 * The stored form of an API key: `sha256:<64 hex digits>`, for `server.auth.apiKeys[].hash`.
 *
 * A fast, unsalted hash is the right tool here, unlike for passwords: keys from
 * {@link generateApiKey} carry 256 random bits, so there is nothing to brute-force or look up in a
 * table, and a slow hash (bcrypt, scrypt) would only cost CPU on every request.
 *
 * @example
 * ```ts
 * hashApiKey('agk_...'); // 'sha256:3f1c...'
 * ```
 */
export function hashApiKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/**
 * A new API key (`agk_` + 32 random bytes in base64url) and its {@link hashApiKey hash}. Give the
 * key to the client once; put only the hash in the config.
 *
 * @example
 * ```ts
 * const { key, hash } = generateApiKey();
 * // agent.config.yaml: server.auth.apiKeys: [{ name: ci, hash, tenant: acme, scopes: [runs:write] }]
 * ```
 */
export function generateApiKey(): { key: string; hash: string } {
  const key = `agk_${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key) };
}

/** One configured key, with only its digest kept in memory. */
interface StoredApiKey {
  readonly digest: Buffer;
  readonly principal: Principal;
  readonly revoked: boolean;
}

/**
 * The configured API keys, matched by the SHA-256 of the presented key. Plain `key` entries are
 * hashed at construction and the plain text is not kept.
 */
export class ApiKeyTable {
  readonly #keys: readonly StoredApiKey[];

  /** @throws ConfigError when a `hash` is not `sha256:<64 hex>`, or two entries share a key. */
  constructor(entries: readonly ApiKeyConfig[]) {
    const seen = new Map<string, string>();
    this.#keys = entries.map((entry, index) => {
      const hash = storedHash(entry, index);
      const earlier = seen.get(hash);
      if (earlier !== undefined) {
        throw configError(
          index,
          `API keys "${earlier}" and "${entry.name}" are the same key`,
          'give every client its own key (generateApiKey())',
        );
      }
      seen.set(hash, entry.name);
      const principal: Principal = {
        subject: entry.name,
        tenant: entry.tenant,
        scopes: new Set<Scope>(entry.scopes),
        method: 'api-key',
      };
      return { digest: digestOf(hash), principal, revoked: entry.revoked };
    });
  }

  /** Number of configured keys, revoked ones included. */
  get size(): number {
    return this.#keys.length;
  }

  /**
   * The principal of `key`, or `undefined` when it is unknown or revoked (callers must not be
   * able to tell which). Every entry is compared, in constant time, so the time taken does not
   * depend on which entry (if any) matched.
   */
  find(key: string): Principal | undefined {
    const presented = digestOf(hashApiKey(key));
    let found: StoredApiKey | undefined;
    for (const stored of this.#keys) {
      if (timingSafeEqual(stored.digest, presented)) found = stored;
    }
    return found === undefined || found.revoked ? undefined : found.principal;
  }
}

function storedHash(entry: ApiKeyConfig, index: number): string {
  if (entry.hash !== undefined) {
    const hash = entry.hash.trim().toLowerCase();
    if (!HASH_PATTERN.test(hash)) {
      throw configError(
        index,
        `API key "${entry.name}" has a hash that is not sha256:<64 hex digits>`,
        'set hash to the output of hashApiKey(key) (or generateApiKey().hash), or set key from an environment variable instead',
      );
    }
    return hash;
  }
  if (entry.key !== undefined) return hashApiKey(entry.key);
  throw configError(
    index,
    `API key "${entry.name}" has neither hash nor key`,
    'set hash (recommended) or key',
  );
}

function digestOf(hash: string): Buffer {
  return Buffer.from(hash.slice('sha256:'.length), 'hex');
}

function configError(index: number, message: string, fix: string): ConfigError {
  const path = `server.auth.apiKeys.${index}`;
  return new ConfigError(`${path}: ${message}. Fix: ${fix}.`, {
    issues: [{ file: '<config>', path, message, fix }],
  });
}
