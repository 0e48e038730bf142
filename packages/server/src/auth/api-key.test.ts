import { createHash } from 'node:crypto';
import { ConfigError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { ApiKeyTable, generateApiKey, hashApiKey } from './api-key.js';

describe('hashApiKey', () => {
  it('returns sha256:<64 hex> of the key', () => {
    const expected = createHash('sha256').update('agk_abc').digest('hex');

    expect(hashApiKey('agk_abc')).toBe(`sha256:${expected}`);
    expect(hashApiKey('agk_abc')).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('generateApiKey', () => {
  it('returns an agk_ key of 32 random bytes and its hash', () => {
    const { key, hash } = generateApiKey();

    expect(key).toMatch(/^agk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(4), 'base64url')).toHaveLength(32);
    expect(hash).toBe(hashApiKey(key));
    expect(generateApiKey().key).not.toBe(key);
  });
});

describe('ApiKeyTable', () => {
  const { key, hash } = generateApiKey();

  it('finds a key by its hash and does not keep a plain key', () => {
    const table = new ApiKeyTable([
      { name: 'plain', key: 'agk_plain-text', tenant: 't', scopes: ['runs:read'], revoked: false },
      { name: 'hashed', hash, tenant: 't', scopes: ['admin'], revoked: false },
    ]);

    expect(table.find(key)?.subject).toBe('hashed');
    expect(table.find('agk_plain-text')?.subject).toBe('plain');
    expect(table.find('agk_other')).toBeUndefined();
    expect(JSON.stringify(Object.entries(table))).not.toContain('agk_plain-text');
    expect(table.size).toBe(2);
  });

  it('refuses an entry with neither hash nor key', () => {
    expect(
      () => new ApiKeyTable([{ name: 'empty', tenant: 't', scopes: ['runs:read'], revoked: false }]),
    ).toThrow(ConfigError);
  });

  it('reports the path and fix of a malformed hash as a config issue', () => {
    try {
      new ApiKeyTable([
        { name: 'short', hash: 'sha256:abc', tenant: 't', scopes: ['runs:read'], revoked: false },
      ]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues[0]).toMatchObject({
        path: 'server.auth.apiKeys.0',
        fix: expect.any(String),
      });
    }
  });
});
