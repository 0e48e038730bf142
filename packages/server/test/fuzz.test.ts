import { afterAll, describe, expect, it } from 'vitest';
import { createHarness, KEYS, runToEnd, startRun } from './support/harness.js';
import { fetchOpenApi, type Operation, operationsOf, resolveRef, type SchemaDoc } from './support/openapi.js';

// Walks the OpenAPI document and throws invalid input at every operation that takes a body or
// parameters. Whatever comes in, the server must not fail (no 5xx) and must explain itself (every
// 4xx an application/problem+json without stacks or validator internals). Seeded: a failure
// reproduces with the same cases.

const SEED = 0x5eed_2026;
const CASES_PER_OPERATION = 40;

const harness = await createHarness({ server: { bodyLimitBytes: 256 * 1024 } });
afterAll(() => harness.close());
const document = await fetchOpenApi(harness);
const knownRun = await startRun(harness, 'fuzz target');
await runToEnd(harness, knownRun);

/** mulberry32: small, fast, good enough to pick cases, and the same on every machine. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}
type Random = ReturnType<typeof createRandom>;

/** Lone surrogates replaced (what a URL can carry): `encodeURIComponent` throws on them. */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Text that breaks naive parsers: control and format characters, lone surrogates, odd encodings. */
const UNICODE_EDGES = [
  '\u0000',
  '\u0000\u0001\u001f\u007f',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u2066RTL',
  '\u200b\u200d\ufeff',
  '😀👨‍👩‍👧‍👦',
  'e\u0301\u0301\u0301',
  '\uffff\ufffe',
  'Ω≈ç√∫',
  '𝕳𝖊𝖑𝖑𝖔',
  '\r\n\r\n',
];

/** Path segments, raw (already encoded where they need to be). */
const BAD_SEGMENTS = [
  '',
  '%',
  '%ZZ',
  '%E0%A4%A',
  '%C0%AE%C0%AE',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  'a%20b',
  encodeURIComponent(wellFormed('\ud800')),
  encodeURIComponent('😀'),
  'x'.repeat(5000),
  '-1',
  '1e309',
  'null',
  '%252F',
  ';drop',
];

/** Query values, raw (already encoded where they need to be). */
const BAD_QUERY_VALUES = [
  '',
  '-1',
  '-99999999999999999999',
  '9'.repeat(400),
  '1.5',
  '1e309',
  'NaN',
  'Infinity',
  '0x10',
  'abc',
  '%',
  '%ZZ',
  '%E0%A4%A',
  encodeURIComponent('😀'),
  encodeURIComponent('\u0000'),
  'x'.repeat(10_000),
  'true',
  '[]',
  '{}',
  '2026-02-30T25:61:61Z',
  '-0',
];

/** Header values a Headers object accepts (ISO-8859-1, no CR/LF). */
const BAD_HEADER_VALUES = [
  '',
  ' ',
  '-1',
  'abc',
  'x'.repeat(8000),
  '1e309',
  '\u00ff\u00fe',
  '9'.repeat(300),
  'a b c',
  '%00',
  '"quoted"',
];

const BAD_JSON_TEXTS = [
  '{',
  '{"input":}',
  '{"input": "x",}',
  "{'input': 'x'}",
  '{"input": NaN}',
  '{"input": "x"} trailing',
  '\ufeff{"input": "x"}',
  '',
  'null',
  '[]',
  '"just a string"',
  '12',
  '{"input": "\\ud800"',
  '{"input": "x", "input": 5}',
];

const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  'application/xml',
  'application/json; charset=utf-16',
  '*/*',
  'application/problem+xml',
];

/** Values of the wrong JSON type for a field of `schema`. */
function wrongTypes(schema: SchemaDoc): unknown[] {
  const all: unknown[] = [
    0,
    -1,
    1e308,
    1.5,
    true,
    false,
    null,
    [],
    {},
    'text',
    [1, 2],
    { nested: { deeper: true } },
  ];
  const type = schema.type;
  return all.filter((value) => {
    if (type === 'string') return typeof value !== 'string';
    if (type === 'object') return typeof value !== 'object' || value === null || Array.isArray(value);
    if (type === 'integer' || type === 'number') return typeof value !== 'number';
    return true;
  });
}

function deepNesting(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = { level: value };
  return value;
}

interface FuzzCase {
  kind: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  contentType?: string;
}

/** A valid request to the operation, which the cases then break one part of. */
function baseline(operation: Operation) {
  const pathValues: Record<string, string> = { agent: 'assistant', id: knownRun };
  const path = operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => pathValues[name] ?? 'x');
  const bodySchema = operation.operation.requestBody?.content['application/json']?.schema;
  const body = bodySchema === undefined ? undefined : { input: 'fuzz', mode: 'async' };
  return { path, body, bodySchema: bodySchema && resolveRef(document, bodySchema) };
}

function generateCases(operation: Operation, random: Random): FuzzCase[] {
  const base = baseline(operation);
  const parameters = operation.operation.parameters ?? [];
  const pathParameters = parameters.filter((parameter) => parameter.in === 'path');
  const queryParameters = parameters.filter((parameter) => parameter.in === 'query');
  const headerParameters = parameters.filter((parameter) => parameter.in === 'header');
  const json = (value: unknown) => JSON.stringify(value);
  const withBody = (body: unknown) =>
    base.body === undefined ? {} : { body: json(body), contentType: 'application/json' };
  const defaults = { path: base.path, ...withBody(base.body) };

  const generators: Record<string, () => FuzzCase> = {};
  if (pathParameters.length > 0) {
    generators.path = () => {
      const parameter = random.pick(pathParameters);
      const segment = random.pick(BAD_SEGMENTS);
      return {
        ...defaults,
        kind: `path ${parameter.name}=${segment.slice(0, 30)}`,
        path: operation.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
          name === parameter.name ? segment : name === 'agent' ? 'assistant' : knownRun,
        ),
      };
    };
  }
  if (queryParameters.length > 0) {
    generators.query = () => {
      const chosen = queryParameters.filter(() => random.next() < 0.5);
      const names = chosen.length > 0 ? chosen : [random.pick(queryParameters)];
      const query = names
        .flatMap((parameter) => {
          const value = random.pick(BAD_QUERY_VALUES);
          // Sometimes the parameter twice: an array where a scalar is expected.
          return random.next() < 0.2
            ? [`${parameter.name}=${value}`, `${parameter.name}=${value}`]
            : [`${parameter.name}=${value}`];
        })
        .join('&');
      return { ...defaults, kind: `query ${query.slice(0, 60)}`, query };
    };
    generators.unicodeQuery = () => {
      const parameter = random.pick(queryParameters);
      const value = encodeURIComponent(wellFormed(random.pick(UNICODE_EDGES)));
      return { ...defaults, kind: `query unicode ${parameter.name}`, query: `${parameter.name}=${value}` };
    };
  }
  if (headerParameters.length > 0) {
    generators.header = () => {
      const parameter = random.pick(headerParameters);
      const value = random.pick(BAD_HEADER_VALUES);
      return {
        ...defaults,
        kind: `header ${parameter.name}=${value.slice(0, 20)}`,
        headers: { [parameter.name]: value },
      };
    };
  }
  const schema = base.bodySchema;
  if (schema !== undefined) {
    const declared = Object.entries((schema.properties ?? {}) as Record<string, SchemaDoc>);
    // A free-form body (a tool's input: POST /v1/tools/{tool}, fuzzed with calculator) has no
    // declared fields; its tool's field stands in for them.
    const properties: [string, SchemaDoc][] =
      declared.length > 0 ? declared : [['expression', { type: 'string' } as SchemaDoc]];
    const required = (schema.required ?? []) as string[];
    if (properties.length > 0)
      generators.wrongType = () => {
        const [name, property] = random.pick(properties);
        const value = random.pick(wrongTypes(resolveRef(document, property)));
        return {
          ...defaults,
          kind: `body ${name}=${json(value)}`,
          ...withBody({ ...base.body, [name]: value }),
        };
      };
    if (required.length > 0)
      generators.missing = () => {
        const name = random.pick(required);
        const { [name]: _removed, ...rest } = base.body as Record<string, unknown>;
        return { ...defaults, kind: `body without ${name}`, ...withBody(rest) };
      };
    generators.wholeBody = () => {
      const value = random.pick([null, [], 'input', 42, true, [{ input: 'x' }], {}]);
      return { ...defaults, kind: `body ${json(value)}`, ...withBody(value) };
    };
    generators.hugeString = () => {
      const [name] = random.pick(properties);
      const size = random.pick([100_001, 200_000, 300_000, 2_000_000]);
      return {
        ...defaults,
        kind: `body ${name} of ${size} chars`,
        ...withBody({ ...base.body, [name]: 'x'.repeat(size) }),
      };
    };
    generators.deepNesting = () => {
      const [name] = random.pick(properties);
      const depth = random.pick([17, 100, 1000, 5000]);
      return {
        ...defaults,
        kind: `body ${name} nested ${depth} deep`,
        ...withBody({ ...base.body, [name]: deepNesting(depth) }),
      };
    };
    generators.unicodeBody = () => {
      const [name] = random.pick(properties);
      const text = Array.from({ length: 1 + random.int(4) }, () => random.pick(UNICODE_EDGES)).join('');
      // Lone surrogates survive as JSON escapes: JSON.stringify writes them as \udXXX.
      return { ...defaults, kind: `body ${name} unicode`, ...withBody({ ...base.body, [name]: text }) };
    };
    generators.extraFields = () => {
      const key = random.pick(['__proto__', 'constructor', 'prototype', 'inputs', '', 'x'.repeat(1000)]);
      const body = `{"input":"x","mode":"async",${JSON.stringify(key)}:{"polluted":true}}`;
      return { ...defaults, kind: `body extra ${key.slice(0, 20)}`, body, contentType: 'application/json' };
    };
    generators.invalidJson = () => {
      const body = random.pick(BAD_JSON_TEXTS);
      return {
        ...defaults,
        kind: `invalid JSON ${body.slice(0, 20)}`,
        body,
        contentType: 'application/json',
      };
    };
    generators.contentType = () => {
      const contentType = random.pick(WRONG_CONTENT_TYPES);
      return { ...defaults, kind: `content-type ${contentType}`, contentType };
    };
    generators.noContentType = () => ({
      path: base.path,
      kind: 'body without content-type',
      body: json(base.body),
    });
    generators.badMetadata = () => {
      const metadata = random.pick<unknown>([
        Object.fromEntries(Array.from({ length: 51 + random.int(1000) }, (_, index) => [`k${index}`, index])),
        { blob: 'x'.repeat(16_500 + random.int(50_000)) },
        { numbers: [-1e308, 1e308, -0, 5e-324] },
        { [random.pick(UNICODE_EDGES)]: random.pick(UNICODE_EDGES) },
      ]);
      return { ...defaults, kind: 'body metadata', ...withBody({ ...base.body, metadata }) };
    };
  }

  const kinds = Object.keys(generators);
  // Every kind at least once, the rest at random.
  const order = [
    ...kinds,
    ...Array.from({ length: Math.max(0, CASES_PER_OPERATION - kinds.length) }, () => random.pick(kinds)),
  ];
  return order.map((kind) => (generators[kind] as () => FuzzCase)());
}

const fuzzed = operationsOf(document).filter(
  ({ operation }) => (operation.parameters ?? []).length > 0 || operation.requestBody !== undefined,
);

const STACK_OR_INTERNALS =
  /\n\s+at |\bat [\w.<>]+ \(|node_modules|\/work\/|file:\/\/|ZodError|"issues"|"expected"|"received"|\.ts:\d+/;

it('fuzzes every operation that takes a body or parameters', () => {
  expect(fuzzed.map(({ method, path }) => `${method} ${path}`).sort()).toEqual([
    'GET /v1/runs',
    'GET /v1/runs/{id}',
    'GET /v1/runs/{id}/events',
    'POST /v1/agents/{agent}/runs',
    'POST /v1/runs/{id}/cancel',
    'POST /v1/tools/{tool}',
  ]);
});

describe.each(fuzzed.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
  '%s',
  (name, operation) => {
    it(`survives ${CASES_PER_OPERATION} generated invalid requests`, async () => {
      const random = createRandom(
        SEED ^ [...name].reduce((hash, character) => Math.imul(hash, 31) + character.charCodeAt(0), 7),
      );
      const cases = generateCases(operation, random);
      expect(cases.length).toBeGreaterThanOrEqual(20);
      const statuses = new Map<number, number>();

      for (const fuzzCase of cases) {
        const headers = new Headers({ Authorization: `Bearer ${KEYS.admin}`, ...fuzzCase.headers });
        if (fuzzCase.contentType !== undefined) headers.set('Content-Type', fuzzCase.contentType);
        const url = `http://localhost${fuzzCase.path}${fuzzCase.query ? `?${fuzzCase.query}` : ''}`;
        const response = await harness.app.request(url, {
          method: operation.method,
          headers,
          ...(fuzzCase.body !== undefined ? { body: fuzzCase.body } : {}),
        });
        const label = `${fuzzCase.kind} -> ${response.status}`;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);

        expect(response.status, label).toBeLessThan(500);
        if (response.status < 400) {
          await response.body?.cancel();
          continue;
        }
        expect(response.headers.get('Content-Type'), label).toBe('application/problem+json');
        const text = await response.text();
        expect(text, label).not.toMatch(STACK_OR_INTERNALS);
        const problem = JSON.parse(text) as Record<string, unknown>;
        expect(problem, label).toMatchObject({
          type: expect.stringMatching(/^https:\/\//),
          title: expect.any(String),
          status: response.status,
          detail: expect.any(String),
          code: expect.any(String),
        });
      }
      // The cases reached validation, not only the router's 404.
      expect(
        [...statuses.keys()].some((status) => status === 400 || status === 413 || status === 415),
        JSON.stringify([...statuses]),
      ).toBe(true);
    });
  },
);

it('logged no server error while fuzzing', () => {
  expect(harness.logs.filter((line) => line.level === 'error')).toEqual([]);
});
