import { ConfigError } from '@agent/core';
import { testToolContext } from '@agent/core/testing';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from './__fixtures__/rejection-of.js';
import { type JsonQueryOptions, type JsonQueryOutput, jsonQuery } from './json-query.js';
import { parseQuery } from './json-query-parser.js';

const store = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
      {
        category: 'fiction',
        author: 'Herman Melville',
        title: 'Moby Dick',
        isbn: '0-553-21311-3',
        price: 8.99,
      },
      {
        category: 'fiction',
        author: 'J. R. R. Tolkien',
        title: 'The Lord of the Rings',
        isbn: '0-395-19395-8',
        price: 22.99,
      },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  expensive: 10,
  'odd key': { "it's": 1 },
};

async function query(
  q: string,
  data: unknown = store,
  options: JsonQueryOptions = {},
): Promise<JsonQueryOutput> {
  return await jsonQuery(options).execute({ data, query: q }, testToolContext());
}

const matches = async (q: string, data: unknown = store) => (await query(q, data)).matches;

describe('json_query selectors', () => {
  it.each([
    ['$', [store]],
    ['$.expensive', [10]],
    ['$.store.bicycle.color', ['red']],
    ["$['store']['bicycle']['color']", ['red']],
    ['$["odd key"]["it\'s"]', [1]],
    ["$['odd key']['it\\'s']", [1]],
    ['$.store.book[0].title', ['Sayings of the Century']],
    ['$.store.book[-1].title', ['The Lord of the Rings']],
    ['$.store.book[9]', []],
    ['$.store.book[-9]', []],
    ['$.store.nothing.deeper', []],
    ['$.store.book[*].author', ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']],
    ['$.store.bicycle.*', ['red', 19.95]],
    ['$..author', ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']],
    ['$.store..price', [8.95, 12.99, 8.99, 22.99, 19.95]],
    ['$..book[2].title', ['Moby Dick']],
    ['$..[0].title', ['Sayings of the Century']],
    ['$.store.book[1:3].title', ['Sword of Honour', 'Moby Dick']],
    ['$.store.book[:2].title', ['Sayings of the Century', 'Sword of Honour']],
    ['$.store.book[-2:].title', ['Moby Dick', 'The Lord of the Rings']],
    ['$.store.book[::2].title', ['Sayings of the Century', 'Moby Dick']],
    ['$.store.book[::-1].price', [22.99, 8.99, 12.99, 8.95]],
    ['$.store.book[3:1:-1].price', [22.99, 8.99]],
    ['$.store.book[0:100].price', [8.95, 12.99, 8.99, 22.99]],
    [' $ . store . bicycle [ "color" ] ', ['red']],
  ])('%s', async (q, expected) => {
    expect(await matches(q)).toEqual(expected);
  });

  it('returns count and truncated with the matches', async () => {
    expect(await query('$.store.book[*].price')).toEqual({
      matches: [8.95, 12.99, 8.99, 22.99],
      count: 4,
      truncated: false,
    });
  });

  it('never reads prototype or array properties', async () => {
    expect(await matches('$.constructor')).toEqual([]);
    expect(await matches('$.__proto__')).toEqual([]);
    expect(await matches('$.store.book.length')).toEqual([]);
    expect(await matches('$.store.toString')).toEqual([]);
    expect(await matches('$.__proto__', JSON.parse('{"__proto__": 1}'))).toEqual([1]);
  });

  it('parses data given as JSON text', async () => {
    expect(await matches('$.a[1]', '{"a": [1, 2]}')).toEqual([2]);
  });
});

describe('json_query filters', () => {
  it.each([
    ['$.store.book[?(@.price < 10)].title', ['Sayings of the Century', 'Moby Dick']],
    ['$.store.book[?(@.price <= 8.99)].price', [8.95, 8.99]],
    ['$.store.book[?(@.price > 20)].title', ['The Lord of the Rings']],
    ['$.store.book[?(@.price >= 12.99)].price', [12.99, 22.99]],
    ["$.store.book[?(@.category == 'reference')].author", ['Nigel Rees']],
    ['$.store.book[?(@.category != "fiction")].author', ['Nigel Rees']],
    ['$.store.book[?(@.isbn)].title', ['Moby Dick', 'The Lord of the Rings']],
    ['$.store.book[?(!@.isbn)].title', ['Sayings of the Century', 'Sword of Honour']],
    ['$.store.book[?(@.price > 10 && @.category == "fiction")].price', [12.99, 22.99]],
    ['$.store.book[?(@.price < 9 || @.price > 20)].price', [8.95, 8.99, 22.99]],
    ['$.store.book[?(@.price > 9 && (@.isbn || @.author == "Evelyn Waugh"))].price', [12.99, 22.99]],
    ['$.store.book[?(@.price > $.expensive)].price', [12.99, 22.99]],
    ['$.store.book[?@.price > 20].price', [22.99]],
    // The filter runs on each descendant's children: `store` (holding the bicycle) comes before `book`.
    ['$..[?(@.price > 19)].price', [19.95, 22.99]],
    [
      '$.store.book[?(@.title > "S")].title',
      ['Sayings of the Century', 'Sword of Honour', 'The Lord of the Rings'],
    ],
    ['$.store.book[?(@.price > "10")].title', []],
    ['$.store.book[?(@.missing == @.absent)].price', [8.95, 12.99, 8.99, 22.99]],
    [
      '$.store.book[?(@.isbn != "0-553-21311-3")].title',
      ['Sayings of the Century', 'Sword of Honour', 'The Lord of the Rings'],
    ],
  ])('%s', async (q, expected) => {
    expect(await matches(q)).toEqual(expected);
  });

  it('compares literals, nested paths, indexes and whole values', async () => {
    const data = {
      items: [
        { id: 1, tags: ['a', 'b'], meta: { ok: true, n: null } },
        { id: 2, tags: ['c'], meta: { ok: false, n: 0 } },
        { id: 3, tags: ['a', 'b'], meta: { ok: true } },
      ],
    };

    expect(await matches('$.items[?(@.meta.ok == true)].id', data)).toEqual([1, 3]);
    expect(await matches('$.items[?(@.meta.ok == false)].id', data)).toEqual([2]);
    expect(await matches('$.items[?(@.meta.n == null)].id', data)).toEqual([1]);
    expect(await matches("$.items[?(@.tags[0] == 'a')].id", data)).toEqual([1, 3]);
    expect(await matches("$.items[?(@['meta']['n'] == 0)].id", data)).toEqual([2]);
    expect(await matches('$.items[?(@.tags == $.items[0].tags)].id', data)).toEqual([1, 3]);
    expect(await matches('$.items[?(@.meta == $.items[1].meta)].id', data)).toEqual([2]);
    expect(await matches('$.items[?(@.id == 1e0)].id', data)).toEqual([1]);
    expect(await matches('$.items[?(@.id == -1)].id', data)).toEqual([]);
  });

  it('filters the members of an object too', async () => {
    expect(await matches('$.store[?(@.color)].price')).toEqual([19.95]);
  });
});

describe('json_query refusals and bounds', () => {
  it.each([
    ['store', "a query starts with '$' (the root) at 0"],
    ['$.', "expected a name or '*' but the query ended at 2"],
    ['$..', "expected a name, '*' or '[' but the query ended at 3"],
    ['$.a[', "expected an index, a quoted name, '*', a slice or '?' but the query ended at 4"],
    ['$.a[0', "expected ']' but the query ended at 5"],
    ['$.a]', "unexpected ']' at 3"],
    ['$.a[abc]', "expected an index, a quoted name, '*', a slice or '?' but found 'a' at 4"],
    ["$['a", 'unterminated string at 2'],
    ["$['\\x']", "invalid escape '\\x' at 3"],
    ["$['\\u12']", 'invalid \\u escape at 3'],
    ['$.a[::0]', 'a slice step cannot be 0 at 6'],
    ['$.a[99999999999999999999]', 'index 99999999999999999999 is out of range at 4'],
    ['$.a[?(@.b >)]', "expected '@', '$', a string, a number, true, false or null but found ')' at 11"],
    ['$.a[?(@.b > 1]', "expected ')' but found ']' at 13"],
    ['$.a[?(10)]', 'a literal alone is not a test'],
    ['$.a[?(@.b = 1)]', "expected ')' but found '=' at 10"],
    ['$.a[?(@.)]', 'expected a name but found'],
    ['$.a[?(@[x])]', 'expected a quoted name or an index'],
    ['$.constructor(1)', "unexpected '(' at 13"],
    [`$.a[?${'('.repeat(40)}@.b${')'.repeat(40)}]`, 'filter nested deeper than 32 levels'],
  ])('refuses %j: %s', async (q, message) => {
    const error = await rejectionOf(query(q));

    expect(error).toMatchObject({ code: 'TOOL_INPUT_INVALID', toolName: 'json_query' });
    expect(error.message).toContain(message);
  });

  it('refuses a string that is not JSON', async () => {
    const error = await rejectionOf(query('$', '{not json'));

    expect(error.message).toContain('data is a string but not valid JSON');
  });

  it('refuses a query longer than maxQueryLength', async () => {
    const error = await rejectionOf(query(`$${'.a'.repeat(30)}`, store, { maxQueryLength: 50 }));

    expect(error.message).toContain('61 characters long; at most 50');
  });

  it('caps the matches at maxResults and says so', async () => {
    const data = Array.from({ length: 50 }, (_, index) => index);

    const result = await query('$[*]', data, { maxResults: 10 });

    expect(result).toEqual({ matches: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], count: 10, truncated: true });
  });

  it('stops .. at maxDepth, marks the result truncated, and survives very deep data', async () => {
    let deep: unknown = { name: 'bottom' };
    for (let level = 0; level < 5000; level += 1) deep = { child: deep, name: level };

    const shallow = await query('$..name', deep, { maxDepth: 3 });

    expect(shallow.matches).toEqual([4999, 4998, 4997, 4996]);
    expect(shallow.truncated).toBe(true);
  });

  it('refuses a query that would visit more than maxVisits values', async () => {
    const data = Array.from({ length: 100 }, () => Array.from({ length: 100 }, () => [1, 2, 3]));

    const error = await rejectionOf(query('$..*..*', data, { maxVisits: 10_000 }));

    expect(error).toMatchObject({ code: 'TOOL_INPUT_INVALID' });
    expect(error.message).toContain('visited more than 10000 values');
  });

  it('rejects bad options with a ConfigError naming the option', () => {
    expect(() => jsonQuery({ maxResults: 0 })).toThrow(ConfigError);
    expect(() => jsonQuery({ maxResults: 0 })).toThrow('tools.options.json_query.maxResults');
  });
});

describe('json_query parser', () => {
  it('builds descendant and child segments', () => {
    expect(parseQuery('$..a[0]')).toEqual([
      { descendant: true, selector: { kind: 'name', name: 'a' } },
      { descendant: false, selector: { kind: 'index', index: 0 } },
    ]);
  });
});
