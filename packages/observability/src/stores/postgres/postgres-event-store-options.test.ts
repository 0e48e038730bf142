import { ConfigError } from '@agent/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresEventStore } from './postgres-event-store.js';
import { type PostgresEventStoreOptions, resolveOptions } from './postgres-event-store-options.js';

// Option checks happen before any connection is made, so these tests need no database.

const connectionString = 'postgres://postgres@127.0.0.1:5432/test';

describe('PostgresEventStore options', () => {
  it.each([
    ['a hyphen', 'agent-events'],
    ['a quote', 'x"; DROP TABLE runs; --'],
    ['a leading digit', '1events'],
    ['an empty string', ''],
    ['more than 63 characters', 'a'.repeat(64)],
    ['a system schema prefix', 'pg_events'],
    ['information_schema', 'information_schema'],
  ])('rejects a schema name with %s with a ConfigError naming it', (_name, schema) => {
    expect(() => new PostgresEventStore({ connectionString, schema })).toThrow(ConfigError);
    expect(() => new PostgresEventStore({ connectionString, schema })).toThrow(/schema/);
  });

  it('accepts safe schema names as spelled, and defaults to public', () => {
    expect(resolveOptions({ connectionString }).schema).toBe('public');
    expect(resolveOptions({ connectionString, schema: 'Agent_Events_2' }).schema).toBe('Agent_Events_2');
    expect(resolveOptions({ connectionString, schema: `_${'a'.repeat(62)}` }).schema).toHaveLength(63);
  });

  it('needs exactly one of connectionString and pool', () => {
    const pool = new pg.Pool();

    expect(() => resolveOptions({} as PostgresEventStoreOptions)).toThrow(/needs a connectionString/);
    expect(() => resolveOptions({ connectionString, pool } as unknown as PostgresEventStoreOptions)).toThrow(
      /both a connectionString and a pool/,
    );
    expect(() => resolveOptions({ connectionString: '' })).toThrow(ConfigError);
    expect(resolveOptions({ pool }).schema).toBe('public');
  });

  it.each([
    ['maxBatchEvents 0', { maxBatchEvents: 0 }, /maxBatchEvents/],
    ['maxBatchEvents 1.5', { maxBatchEvents: 1.5 }, /maxBatchEvents/],
    ['an empty retention', { retention: {} }, /retention needs maxAgeMs, maxRuns or both/],
    ['a negative retention age', { retention: { maxAgeMs: -1 } }, /retention.maxAgeMs/],
    [
      'an infinite retention age',
      { retention: { maxAgeMs: Number.POSITIVE_INFINITY } },
      /retention.maxAgeMs/,
    ],
    ['a fractional retention maxRuns', { retention: { maxRuns: 2.5 } }, /retention.maxRuns/],
    ['a zero retention interval', { retention: { maxRuns: 1, intervalMs: 0 } }, /retention.intervalMs/],
    [
      'a retention interval setInterval cannot wait',
      { retention: { maxRuns: 1, intervalMs: 2 ** 31 } },
      /intervalMs/,
    ],
  ])('rejects %s with a ConfigError naming the option', (_name, options, message) => {
    expect(() => resolveOptions({ connectionString, ...options })).toThrow(ConfigError);
    expect(() => resolveOptions({ connectionString, ...options })).toThrow(message);
  });

  it('fills in defaults', () => {
    const resolved = resolveOptions({ connectionString, retention: { maxAgeMs: 0 } });

    expect(resolved).toMatchObject({ maxBatchEvents: 500, retention: { maxAgeMs: 0, intervalMs: 600_000 } });
    expect(resolved.retention).not.toHaveProperty('maxRuns');
    expect(resolved.clock.now()).toBeGreaterThan(0);
    expect(() => resolved.onRetentionError(new Error('ignored'))).not.toThrow();
  });
});
