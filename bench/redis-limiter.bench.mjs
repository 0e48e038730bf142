// RedisRateLimiter throughput and latency from one process at concurrency 64, next to
// redis-benchmark running the same acquire script with EVALSHA in the same run: the ratio is
// what the client side (ioredis, argument building, decoding, reservation ids) costs.
//
//   node redis-limiter.bench.mjs           20 000 acquires
//   node redis-limiter.bench.mjs --quick   2 000 acquires (CI smoke)
//
// Prints numbers only; it never fails on them.
import { execFileSync } from 'node:child_process';
import { RedisRateLimiter } from '@agent/ratelimit-redis';
import { Redis } from 'ioredis';
// The script is internal to the package; the bench reads it from the build to run the same one.
import { acquireScript } from '../packages/ratelimit-redis/dist/lua-scripts.js';

const quick = process.argv.includes('--quick');
const ACQUIRES = quick ? 2_000 : 20_000;
const CONCURRENCY = 64;
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const { hostname, port } = new URL(url);
const keyPrefix = `bench:rl:${process.pid}:`;
// A limit never reached, so every acquire takes the full path: read, prune, count, expire.
const rule = { name: 'bench', scope: 'global', maxCalls: 1_000_000_000, windowMs: 60_000 };

async function benchLimiter() {
  const redis = new Redis(url);
  const limiter = new RedisRateLimiter({ redis, rules: [rule], keyPrefix, commandTimeoutMs: 5_000 });
  for (let warmUp = 0; warmUp < 500; warmUp++) await limiter.acquire({});
  const latencies = new Float64Array(ACQUIRES);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ACQUIRES) {
        const position = next++;
        const begun = performance.now();
        await limiter.acquire({});
        latencies[position] = performance.now() - begun;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const { storeErrors } = limiter.stats();
  await redis.quit();
  latencies.sort();
  const percentile = (fraction) => latencies[Math.min(ACQUIRES - 1, Math.floor(ACQUIRES * fraction))];
  return { perSecond: ACQUIRES / seconds, p50: percentile(0.5), p99: percentile(0.99), storeErrors };
}

async function benchRedisBenchmark() {
  const redis = new Redis(url);
  await redis.script('LOAD', acquireScript.source);
  await redis.quit();
  // The same arguments the limiter sends for `rule`: offset, tokens, then the rule's limits.
  const key = `${keyPrefix}{limiter}:k:raw`;
  const args = ['0', '0', '60000', '600', String(rule.maxCalls), '-1', '120000'];
  const output = execFileSync(
    'redis-benchmark',
    [
      '-h',
      hostname,
      '-p',
      port || '6379',
      '-q',
      '-n',
      String(ACQUIRES),
      '-c',
      String(CONCURRENCY),
      '-P',
      '1',
    ].concat(['EVALSHA', acquireScript.sha, '1', key, ...args]),
    { encoding: 'utf8' },
  );
  const match = /([\d.]+) requests per second/.exec(output.split('\r').at(-1) ?? output);
  return { perSecond: match ? Number(match[1]) : Number.NaN, line: output.trim().split('\r').at(-1)?.trim() };
}

const limiter = await benchLimiter();
const raw = await benchRedisBenchmark();
const cleanup = new Redis(url);
const keys = await cleanup.keys(`${keyPrefix}*`);
if (keys.length > 0) await cleanup.del(...keys);
await cleanup.quit();

console.log(`acquires: ${ACQUIRES}, concurrency: ${CONCURRENCY}, redis: ${hostname}:${port || '6379'}`);
console.log(
  `RedisRateLimiter.acquire: ${limiter.perSecond.toFixed(0)}/s, p50 ${limiter.p50.toFixed(3)} ms, p99 ${limiter.p99.toFixed(3)} ms, store errors ${limiter.storeErrors}`,
);
console.log(`redis-benchmark EVALSHA: ${raw.perSecond.toFixed(0)}/s (${raw.line})`);
console.log(`ratio (limiter / redis-benchmark): ${(limiter.perSecond / raw.perSecond).toFixed(2)}`);
