import { describe, expect, it } from 'vitest';
import { splitSchema } from './build-store.js';

describe('splitSchema', () => {
  it('takes the schema out of a Postgres URL and keeps the other parameters', () => {
    expect(splitSchema('postgres://u@h:5432/db?sslmode=disable&schema=agent')).toEqual({
      connectionString: 'postgres://u@h:5432/db?sslmode=disable',
      schema: 'agent',
    });
  });

  it('leaves a URL without a schema, or one it cannot parse, as it is', () => {
    expect(splitSchema('postgres://u@h/db')).toEqual({
      connectionString: 'postgres://u@h/db',
      schema: undefined,
    });
    expect(splitSchema('not a url')).toEqual({ connectionString: 'not a url', schema: undefined });
  });
});
