import { expect } from 'vitest';
import { type ConformanceCheck, cursorOf, expectSameEvents, listedIds, summaryOf } from '../harness.js';
import { SUITE_START } from '../manual-clock.js';
import { RunEvents } from '../run-events.js';

/** Text a model or tool really produces: emoji sequences, combining marks, RTL, CJK, escapes. */
const UNICODE_TEXT = [
  'Grüße aus Zürich — naïve café',
  'e\u0301 (e + combining acute) vs é',
  '👩‍💻 🏳️‍🌈 🇳🇴 😀',
  'مرحبا بالعالم',
  '東京の天気は晴れ',
  '"quoted" \\ back\\slash \n newline \t tab \u0001 \u001f control',
  '\u{10FFFF} \uFFFD \u2028 \u2029',
].join(' | ');

/** Encodings break at every layer (driver, column type, JSON); nothing may be lost on the way. */
export const roundTripsUnicode: ConformanceCheck = {
  name: 'round-trips unicode in ids, names and payloads, and filters and pages by them',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-ünïcødé-🚀-東京', { agent: 'агент-🤖', tenant: 'テナント-🏢' });
    const events = [
      run.started(UNICODE_TEXT),
      run.modelRequested(),
      run.modelResponded({ inputTokens: 3, outputTokens: 4 }, 'wörterbuch'),
      run.toolCalled('wörterbuch', { ключ: UNICODE_TEXT, '🔑': ['🗝', 'مفتاح'] }),
      run.toolSucceeded({ text: UNICODE_TEXT, '': 'empty key', 'key with "quotes"': null }),
      run.completed(undefined, UNICODE_TEXT),
    ];
    const other = new RunEvents('run-ascii', { tenant: 'テナント-🏢', startedAt: SUITE_START + 1 });

    await store.append([...events, other.started()]);

    expectSameEvents(await store.readRun(run.runId), events, 'readRun of the unicode run');
    expect(await summaryOf(store, run.runId)).toMatchObject({ agent: 'агент-🤖', tenant: 'テナント-🏢' });
    expect(await listedIds(store, { tenant: 'テナント-🏢', agent: 'агент-🤖' })).toEqual([run.runId]);
    const first = await store.listRuns({ tenant: 'テナント-🏢', limit: 1 });
    const second = await store.listRuns({
      tenant: 'テナント-🏢',
      limit: 1,
      cursor: cursorOf(first, 'first page'),
    });
    expect([...first.runs, ...second.runs].map((summary) => summary.runId)).toEqual(['run-ascii', run.runId]);
  },
};

/** Tool outputs (web pages, files) run to megabytes; truncation or a size error loses the run's record. */
export const roundTripsLargePayloads: ConformanceCheck = {
  name: 'round-trips a 1 MiB tool output and a 256 KiB model message deep-equal',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-large');
    // Multi-byte characters, so a limit counted in bytes rather than characters is exercised too.
    const megabyte = 'ab€😀'.repeat(1 << 18);
    const rows = Array.from({ length: 2_000 }, (_, index) => ({
      index,
      name: `row ${index}`,
      tags: ['a', 'b'],
    }));
    const started = run.started();
    const responded = run.modelResponded({ inputTokens: 90_000, outputTokens: 60_000 });
    const events = [
      started,
      { ...responded, message: { role: 'assistant' as const, content: 'x'.repeat(256 * 1024) } },
      run.toolCalled('fetch', { url: 'https://example.com/big' }),
      run.toolSucceeded({ body: megabyte, rows }),
      run.completed(),
    ];

    await store.append(events);

    expectSameEvents(await store.readRun('run-large'), events, 'readRun of the large run');
    expectSameEvents(
      await store.readRun('run-large', { fromSeq: 3, limit: 1 }),
      events.slice(3, 4),
      'seq 3 alone',
    );
  },
};

/** JSON columns are where numbers lose precision and empty containers turn into nulls. */
export const roundTripsJsonValues: ConformanceCheck = {
  name: 'round-trips numbers, booleans, nulls, empty containers and deep nesting in payloads',
  async run(setup) {
    const store = await setup.open();
    const run = new RunEvents('run-json');
    let nested: unknown = { leaf: true };
    for (let depth = 0; depth < 64; depth++) nested = { depth, child: nested };
    const output = {
      numbers: [0, -1, 0.1 + 0.2, 1e-7, 6.02e23, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER],
      flags: [true, false],
      nothing: null,
      empty: { object: {}, array: [], text: '' },
      nested,
    };
    const events = [
      run.started(),
      run.toolCalled('calc', { expression: '0.1 + 0.2' }),
      run.toolSucceeded(output),
    ];

    await store.append(events);

    expectSameEvents(await store.readRun('run-json'), events, 'readRun of the JSON run');
  },
};

/** The payload checks, in order. */
export const payloadChecks: readonly ConformanceCheck[] = [
  roundTripsUnicode,
  roundTripsLargePayloads,
  roundTripsJsonValues,
];
