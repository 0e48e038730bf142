// Timing helpers of tools.bench.mjs. Each measurement runs for a fixed time (so --quick bounds the
// whole run) after a short warm-up whose numbers are thrown away (JIT, connection pools).

/**
 * Runs each variant once and checks its answer (a fast wrong answer is no result), warms them all
 * up, then measures them in interleaved rounds (A B C, A B C, ...) and keeps each one's median
 * round: on a shared machine a burst of someone else's work then hits every variant alike
 * instead of skewing one ratio. A variant is `{ what, call, check(result), measure(seconds) }`.
 */
export async function compareVariants(variants, { rounds, seconds, warmSeconds }) {
  for (const variant of variants) {
    const result = await variant.call();
    if (!variant.check(result)) throw new Error(`${variant.what} returned ${JSON.stringify(result)}`);
    await variant.measure(warmSeconds);
  }
  const results = variants.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, variant] of variants.entries())
      results[index].push(await variant.measure(seconds / rounds));
  }
  return results.map((list) => list.sort((a, b) => a.perSecond - b.perSecond)[Math.floor(list.length / 2)]);
}

/**
 * Calls `call` from `concurrency` workers for `seconds`, or until `maxCalls` calls were started,
 * timing each call. Returns calls per second and the p50/p99 latency in ms.
 */
export async function measureCalls(call, { seconds, concurrency, maxCalls = Number.POSITIVE_INFINITY }) {
  const latencies = [];
  let started = 0;
  const begin = performance.now();
  const deadline = begin + seconds * 1000;
  const worker = async () => {
    while (started < maxCalls && performance.now() < deadline) {
      started++;
      const callStarted = performance.now();
      await call();
      latencies.push(performance.now() - callStarted);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedSeconds = (performance.now() - begin) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / elapsedSeconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
  };
}

/**
 * Calls `call` back to back for `seconds`, reading the clock only every 256 calls: for calls that
 * take microseconds, where timing each one would cost more than the call itself.
 */
export async function measureThroughput(call, seconds) {
  let calls = 0;
  const begin = performance.now();
  const deadline = begin + seconds * 1000;
  do {
    for (let index = 0; index < 256; index++) await call();
    calls += 256;
  } while (performance.now() < deadline);
  return { perSecond: calls / ((performance.now() - begin) / 1000) };
}

function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export const formatRate = (value) => Math.round(value).toLocaleString('en-US');
export const formatMs = (value) => (value === undefined ? '-' : value.toFixed(3));
/** Ratios far below 1 (an RPC against a function call) keep two significant digits. */
export const formatRatio = (value) => (value >= 0.1 ? value.toFixed(2) : value.toPrecision(2));
