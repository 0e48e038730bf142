// Cost of @agent/tools' tools, each next to a baseline measured in the same run:
//
// 1. http_fetch (allowlist, SSRF guard, a fresh connection per call to the vetted address, body
//    cap) against a local server, through its test seams (`resolve` says the host is public,
//    `dialOverride` dials 127.0.0.1), against plain global `fetch` of the same URL. A second
//    baseline, node:http with `agent: false`, shows how much of the gap is the fresh connection.
//    Concurrency 1 and 16; calls/s and p50/p99 latency.
// 2. One MCP tool call (`mcpTools` client to `serveMcpHttp`, and to a stdio server in a child
//    process) against calling the same tool's `execute` directly.
// 3. calculator and json_query with typical inputs, against a trivial tool (parse and evaluation
//    cost).
//
//   node tools.bench.mjs           2.5 s per variant, in 5 interleaved rounds (median round shown)
//   node tools.bench.mjs --quick   0.25 s per variant, one round (CI smoke)
//
// Prints numbers only; it never fails on them (only on a wrong answer).
import { once, setMaxListeners } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { defineTool, noopLogger } from '@agent/core';
import { calculator, httpFetch, jsonQuery } from '@agent/tools';
import { mcpTools, serveMcpHttp } from '@agent/tools/mcp';
import { z } from 'zod';
import {
  compareVariants,
  formatMs,
  formatRate,
  formatRatio,
  measureCalls,
  measureThroughput,
} from './tools-bench-measure.mjs';
import { addTool } from './tools-mcp-server.mjs';

const quick = process.argv.includes('--quick');
// Seconds measured per variant in all, split into ROUNDS interleaved rounds.
const SECONDS = quick ? 0.25 : 2.5;
const ROUNDS = quick ? 1 : 5;
const WARM_SECONDS = quick ? 0.05 : 0.5;
const CONCURRENCIES = [1, 16];
// http_fetch and the node:http baseline open a connection per call, which then sits in TIME_WAIT:
// a cap keeps a fast machine from running out of ephemeral ports.
const MAX_HTTP_CALLS = 6_000;

const context = {
  signal: new AbortController().signal,
  runId: 'bench',
  agent: 'bench',
  tenant: undefined,
  toolCallId: 'c',
  logger: noopLogger,
};

// The agent loop gives each tool call a signal of its own; here one is shared by every concurrent
// call, and each adds an abort listener to it while it runs (16 at once is no leak).
setMaxListeners(4 * Math.max(...CONCURRENCIES), context.signal);

const cleanups = [];

const compare = (variants) =>
  compareVariants(variants, { rounds: ROUNDS, seconds: SECONDS, warmSeconds: WARM_SECONDS });
/** A variant timed call by call, from `concurrency` workers. */
const concurrent = (what, call, check, concurrency, maxCalls) => ({
  what,
  call,
  check,
  measure: (seconds) => measureCalls(call, { seconds, concurrency, maxCalls }),
});
/** A variant of microsecond calls, timed in batches. */
const backToBack = (what, call, check) => ({
  what,
  call,
  check,
  measure: (seconds) => measureThroughput(call, seconds),
});

const row = (what, concurrency, result, baseline) => ({
  what,
  concurrency,
  'calls/s': formatRate(result.perSecond),
  'p50 ms': formatMs(result.p50),
  'p99 ms': formatMs(result.p99),
  ratio: formatRatio(result.perSecond / baseline.perSecond),
});

async function benchHttpFetch() {
  const body = JSON.stringify({ id: 42, name: 'bench', tags: ['a', 'b', 'c'], price: 9.99, inStock: true });
  const origin = createServer((_request, response) => {
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
  origin.listen(0, '127.0.0.1');
  await once(origin, 'listening');
  cleanups.push(() => new Promise((resolve) => origin.close(resolve).closeAllConnections()));
  const { port } = origin.address();

  const tool = httpFetch({
    allow: ['bench.test'],
    resolve: async () => [{ address: '93.184.216.34', family: 4 }],
    dialOverride: () => ({ host: '127.0.0.1', port }),
  });
  // execute takes the validated input, as the agent loop hands it over: defaults applied.
  const input = tool.input.parse({ url: `http://bench.test:${port}/item` });
  const guarded = () => tool.execute(input, context);
  const plainUrl = `http://127.0.0.1:${port}/item`;
  const plain = async () => (await fetch(plainUrl)).json();
  const isItem = (value) => value?.id === 42;

  const maxCalls = Math.ceil(MAX_HTTP_CALLS / ROUNDS);
  const variants = CONCURRENCIES.flatMap((concurrency) => [
    concurrent('fetch', plain, isItem, concurrency, maxCalls),
    concurrent('http_fetch', guarded, (r) => r.status === 200 && isItem(r.body), concurrency, maxCalls),
    concurrent('node:http', () => getFreshConnection(port), isItem, concurrency, maxCalls),
  ]);
  const results = await compare(variants);
  const rows = [];
  const ratios = [];
  for (const [index, concurrency] of CONCURRENCIES.entries()) {
    const [baseline, result, fresh] = results.slice(index * 3, index * 3 + 3);
    rows.push(
      row('http_fetch tool (guarded)', concurrency, result, baseline),
      row('global fetch (baseline, keep-alive)', concurrency, baseline, baseline),
      row('node:http, agent: false (new connection per call)', concurrency, fresh, baseline),
    );
    ratios.push(`concurrency ${concurrency}: ${formatRatio(result.perSecond / baseline.perSecond)}`);
  }
  console.log('1. http_fetch against a local server (ratio: calls/s against global fetch)\n');
  console.table(rows);
  console.log(`ratio (http_fetch / plain fetch, calls/s): ${ratios.join(', ')}\n`);
}

/** A GET on a connection of its own, as http_fetch makes it, body parsed as JSON. */
function getFreshConnection(port) {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path: '/item', agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

async function benchMcp() {
  const server = await serveMcpHttp([addTool], { name: 'bench-http', version: '1.0.0' });
  cleanups.push(() => server.close());
  const overHttp = await mcpTools({ transport: 'http', url: server.url, name: 'bench-http' });
  cleanups.push(() => overHttp.close());
  const overStdio = await mcpTools({
    transport: 'stdio',
    command: process.execPath,
    args: [join(import.meta.dirname, 'tools-mcp-server.mjs')],
    cwd: import.meta.dirname,
    name: 'bench-stdio',
  });
  cleanups.push(() => overStdio.close());

  const args = { a: 2, b: 3 };
  const isSum = (value) => isDeepStrictEqual(value, { sum: 5 });
  const variants = [backToBack('add', () => addTool.execute(args, context), isSum)];
  const labels = [['add.execute() directly (baseline)', 1]];
  for (const [transport, set] of [
    ['streamable HTTP', overHttp],
    ['stdio (child process)', overStdio],
  ]) {
    const tool = set.tools.find((candidate) => candidate.name === 'add');
    if (tool === undefined) throw new Error(`the ${transport} MCP server lists no "add" tool`);
    for (const concurrency of CONCURRENCIES) {
      variants.push(concurrent(`MCP ${transport}`, () => tool.execute(args, context), isSum, concurrency));
      labels.push([`add over MCP, ${transport}`, concurrency]);
    }
  }
  const results = await compare(variants);
  const rows = results.map((result, index) => row(...labels[index], result, results[0]));
  console.log('2. One MCP tool call against the same tool called directly (ratio: calls/s against direct)\n');
  console.table(rows);
  console.log('');
}

async function benchEvaluation() {
  const trivial = defineTool({
    name: 'echo',
    description: 'Returns its input.',
    input: z.object({ text: z.string() }),
    execute: ({ text }) => ({ text }),
  });
  const expressions = [
    '2 * (3 + 4)^2 / sqrt(16)',
    '(1200 * 0.075) / 12 + 15.5',
    'max(3, 7, 2) - min(1, 4) * round(2.6)',
    'sin(pi / 6) + ln(e^2) - abs(-3.5)',
  ];
  const store = {
    store: {
      book: [
        { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
        { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
        { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', price: 8.99 },
        { category: 'fiction', author: 'J. R. R. Tolkien', title: 'The Lord of the Rings', price: 22.99 },
      ],
      bicycle: { color: 'red', price: 19.95 },
    },
  };
  const queries = [
    '$.store.book[*].author',
    '$..price',
    '$.store.book[?(@.price < 10)].title',
    '$.store.book[-1]',
  ];
  const calc = calculator();
  const query = jsonQuery();
  // Inputs rotate so no single expression or query is all the JIT sees.
  let turn = 0;
  const next = (list) => list[turn++ % list.length];
  const texts = expressions.map((_, index) => `text ${index}`);

  const [baseline, calcResult, queryResult] = await compare([
    backToBack(
      'echo',
      () => trivial.execute({ text: next(texts) }, context),
      (r) => typeof r.text === 'string',
    ),
    backToBack(
      'calculator',
      () => calc.execute({ expression: next(expressions) }, context),
      (r) => Number.isFinite(r.result),
    ),
    backToBack(
      'json_query',
      () => query.execute({ data: store, query: next(queries) }, context),
      (r) => r.count > 0,
    ),
  ]);
  console.log('3. Evaluation throughput of tool.execute (ratio: calls/s against a trivial tool)\n');
  console.table([
    row(`calculator (${expressions.length} expressions in turn)`, 1, calcResult, baseline),
    row(`json_query (${queries.length} queries in turn, 4-book store)`, 1, queryResult, baseline),
    row('echo, a trivial tool (baseline)', 1, baseline, baseline),
  ]);
  const micros = (result) => (1e6 / result.perSecond).toFixed(2);
  console.log(
    `µs per call: calculator ${micros(calcResult)}, json_query ${micros(queryResult)}, echo ${micros(baseline)}`,
  );
}

console.log(
  `@agent/tools (Node ${process.version}, ${SECONDS} s per variant in ${ROUNDS} interleaved round(s), median round shown, after ${WARM_SECONDS} s warm-up${quick ? ', --quick' : ''})\n`,
);
try {
  await benchHttpFetch();
  await benchMcp();
  await benchEvaluation();
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
