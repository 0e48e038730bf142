import { describe, expect, it } from 'vitest';
import { ConfigError, ValidationError } from '../errors/errors.js';
import { InMemoryMemoryStore, type InMemoryMemoryStoreOptions } from './in-memory-memory-store.js';

function createStore(options: InMemoryMemoryStoreOptions = {}) {
  const clock = { time: 1_000, now: () => clock.time };
  let next = 0;
  const store = new InMemoryMemoryStore({ clock, idGenerator: () => `item-${next++}`, ...options });
  return { store, clock };
}

const contents = (results: { item: { content: string } }[]) => results.map((result) => result.item.content);

describe('InMemoryMemoryStore: failure paths', () => {
  it.each([
    ['maxItemsPerNamespace', { maxItemsPerNamespace: 0 }],
    ['maxNamespaces', { maxNamespaces: 2.5 }],
    ['maxContentLength', { maxContentLength: -1 }],
  ])('rejects a %s that is not a positive integer with a ConfigError naming it', (name, options) => {
    expect(() => new InMemoryMemoryStore(options)).toThrow(ConfigError);
    expect(() => new InMemoryMemoryStore(options)).toThrow(name);
  });

  it('rejects content over maxContentLength with a ValidationError giving both lengths', async () => {
    const { store } = createStore({ maxContentLength: 10 });

    const attempt = store.add({ namespace: 'n', content: 'x'.repeat(11) });

    await expect(attempt).rejects.toThrow(ValidationError);
    await expect(attempt).rejects.toThrow(/11 characters, over the limit of 10/);
  });

  it('rejects empty content with a ValidationError', async () => {
    await expect(createStore().store.add({ namespace: 'n', content: '  ' })).rejects.toThrow(ValidationError);
  });

  it('rejects an empty namespace with a ValidationError', async () => {
    await expect(createStore().store.add({ namespace: '', content: 'fact' })).rejects.toThrow(/namespace/);
  });

  it('rejects metadata that is not plain data with a ValidationError', async () => {
    const attempt = createStore().store.add({ namespace: 'n', content: 'fact', metadata: { run: () => {} } });

    await expect(attempt).rejects.toThrow(/metadata must be plain data/);
  });

  it('rejects an id generator that repeats ids with a ConfigError', async () => {
    const store = new InMemoryMemoryStore({ idGenerator: () => 'same' });
    await store.add({ namespace: 'n', content: 'first' });

    await expect(store.add({ namespace: 'n', content: 'second' })).rejects.toThrow(ConfigError);
  });

  it('rejects an empty search query with a ValidationError', async () => {
    await expect(createStore().store.search('n', ' ')).rejects.toThrow(ValidationError);
  });

  it('rejects a search limit that is not a positive integer with a ValidationError', async () => {
    await expect(createStore().store.search('n', 'fact', { limit: 0 })).rejects.toThrow(/limit/);
  });
});

describe('InMemoryMemoryStore', () => {
  it('stores an item with its id, namespace, content, metadata and creation time', async () => {
    const { store } = createStore();

    const item = await store.add({ namespace: 'user-1', content: 'Likes tea', metadata: { source: 'chat' } });

    expect(item).toEqual({
      id: 'item-0',
      namespace: 'user-1',
      content: 'Likes tea',
      metadata: { source: 'chat' },
      createdAt: 1_000,
    });
  });

  it('makes random UUIDs and reads the wall clock by default', async () => {
    const store = new InMemoryMemoryStore();
    const before = Date.now();

    const item = await store.add({ namespace: 'n', content: 'tea' });

    expect(item.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(item.createdAt).toBeGreaterThanOrEqual(before);
  });

  it('finds items sharing words with the query, case-insensitively', async () => {
    const { store } = createStore();
    await store.add({ namespace: 'n', content: 'The user likes green TEA' });
    await store.add({ namespace: 'n', content: 'The user lives in Oslo' });

    const results = await store.search('n', 'What tea?');

    expect(contents(results)).toEqual(['The user likes green TEA']);
    expect(results[0]?.score).toBeGreaterThan(0);
  });

  it('ranks an item matching a rare word above one matching a common word', async () => {
    const { store } = createStore();
    await store.add({ namespace: 'n', content: 'trip to oslo' });
    await store.add({ namespace: 'n', content: 'tea at noon' });
    await store.add({ namespace: 'n', content: 'tea at dusk' });

    const results = await store.search('n', 'tea oslo');

    expect(contents(results)).toEqual(['trip to oslo', 'tea at dusk', 'tea at noon']);
  });

  it('ranks an item matching more query words higher', async () => {
    const { store } = createStore();
    await store.add({ namespace: 'n', content: 'green tea' });
    await store.add({ namespace: 'n', content: 'green tea with honey' });

    expect(contents(await store.search('n', 'tea honey'))).toEqual(['green tea with honey', 'green tea']);
  });

  it('breaks ties newest first', async () => {
    const { store, clock } = createStore();
    await store.add({ namespace: 'n', content: 'tea at noon' });
    clock.time = 2_000;
    await store.add({ namespace: 'n', content: 'tea at dusk' });
    await store.add({ namespace: 'n', content: 'tea at dawn' });

    expect(contents(await store.search('n', 'tea'))).toEqual(['tea at dawn', 'tea at dusk', 'tea at noon']);
  });

  it('matches words of any script, ignoring case and punctuation', async () => {
    const { store } = createStore();
    await store.add({ namespace: 'n', content: 'Grüße aus Ōsaka, 42nd-street!' });

    expect(await store.search('n', 'ŌSAKA')).toHaveLength(1);
    expect(await store.search('n', 'grüße')).toHaveLength(1);
    expect(await store.search('n', 'street?')).toHaveLength(1);
  });

  it('returns nothing for a query without words or without matches', async () => {
    const { store } = createStore();
    await store.add({ namespace: 'n', content: 'tea' });

    expect(await store.search('n', '?!')).toEqual([]);
    expect(await store.search('n', 'coffee')).toEqual([]);
  });

  it('returns 5 results by default and at most 100', async () => {
    const { store } = createStore();
    for (let index = 0; index < 120; index++) await store.add({ namespace: 'n', content: `fact ${index}` });

    expect(await store.search('n', 'fact')).toHaveLength(5);
    expect(await store.search('n', 'fact', { limit: 1_000 })).toHaveLength(100);
  });

  it('never returns items from another namespace', async () => {
    const { store } = createStore();
    await store.add({ namespace: 'alice', content: 'secret plan' });

    expect(await store.search('bob', 'secret plan')).toEqual([]);
  });

  it('forgets the oldest item of a namespace past maxItemsPerNamespace', async () => {
    const { store } = createStore({ maxItemsPerNamespace: 2 });
    await store.add({ namespace: 'n', content: 'fact one' });
    await store.add({ namespace: 'n', content: 'fact two' });
    await store.add({ namespace: 'other', content: 'fact zero' });

    await store.add({ namespace: 'n', content: 'fact three' });

    expect(contents(await store.search('n', 'fact', { limit: 10 }))).toEqual(['fact three', 'fact two']);
    expect(await store.delete('n', 'item-0')).toBe(false);
    expect(store.stats()).toMatchObject({ items: 3, evictedItems: 1 });
  });

  it('forgets the least recently used namespace past maxNamespaces', async () => {
    const { store } = createStore({ maxNamespaces: 2 });
    await store.add({ namespace: 'a', content: 'fact a' });
    await store.add({ namespace: 'b', content: 'fact b' });
    await store.search('a', 'fact');

    await store.add({ namespace: 'c', content: 'fact c' });

    expect(await store.search('b', 'fact')).toEqual([]);
    expect(contents(await store.search('a', 'fact'))).toEqual(['fact a']);
    expect(await store.delete('b', 'item-1')).toBe(false);
    expect(store.stats()).toMatchObject({ namespaces: 2, items: 2, evictedNamespaces: 1 });
  });

  it('deletes an item by id and reports whether it existed', async () => {
    const { store } = createStore();
    const kept = await store.add({ namespace: 'n', content: 'tea kept' });
    const removed = await store.add({ namespace: 'n', content: 'tea removed' });

    expect(await store.delete('n', removed.id)).toBe(true);
    expect(await store.delete('n', removed.id)).toBe(false);
    expect(contents(await store.search('n', 'removed tea'))).toEqual([kept.content]);
  });

  it('drops a namespace once its last item is deleted', async () => {
    const { store } = createStore();
    const item = await store.add({ namespace: 'n', content: 'tea' });

    await store.delete('n', item.id);

    expect(store.stats()).toMatchObject({ namespaces: 0, items: 0 });
  });

  it('refuses to delete an item through another namespace', async () => {
    const { store } = createStore();
    const secret = await store.add({ namespace: 'tenant-a', content: 'secret' });

    expect(await store.delete('tenant-b', secret.id)).toBe(false);
    expect(contents(await store.search('tenant-a', 'secret'))).toEqual(['secret']);
  });

  it('clears a whole namespace and leaves the others', async () => {
    const { store } = createStore();
    await store.add({ namespace: 'user-1', content: 'likes tea' });
    await store.add({ namespace: 'user-1', content: 'likes cake' });
    await store.add({ namespace: 'user-2', content: 'likes tea' });

    expect(await store.clear('user-1')).toBe(2);
    expect(await store.clear('user-1')).toBe(0);

    expect(await store.search('user-1', 'likes')).toEqual([]);
    expect(store.stats()).toMatchObject({ namespaces: 1, items: 1 });
  });

  it('is not changed by mutating a returned item or its metadata', async () => {
    const { store } = createStore();
    const metadata = { tags: ['drink'] };
    const added = await store.add({ namespace: 'n', content: 'tea', metadata });

    added.content = 'changed';
    metadata.tags.push('input changed');
    const [first] = await store.search('n', 'tea');
    const resultMetadata = first?.item.metadata as { tags: string[] };
    resultMetadata.tags.push('result changed');

    expect((await store.search('n', 'tea'))[0]?.item).toMatchObject({
      content: 'tea',
      metadata: { tags: ['drink'] },
    });
  });
});
