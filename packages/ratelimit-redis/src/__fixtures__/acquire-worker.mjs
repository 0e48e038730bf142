// A separate process acquiring on one shared rule: the multi-process test forks several of these.
// It imports the built package, as another replica would.
import { RedisRateLimiter } from '../../dist/index.js';

const [url, keyPrefix, acquires] = process.argv.slice(2);
const limiter = new RedisRateLimiter({
  redis: url,
  keyPrefix,
  failurePolicy: 'closed',
  commandTimeoutMs: 2_000,
  rules: [{ name: 'shared', scope: 'global', maxCalls: 60, windowMs: 60_000 }],
});
// Start together, so the processes really race.
const go = new Promise((resolve) => process.once('message', resolve));
process.send?.({ ready: true });
await go;
const decisions = await Promise.all(
  Array.from({ length: Number(acquires) }, () => limiter.acquire({ agent: 'worker' })),
);
const admitted = decisions.filter((decision) => decision.allowed).length;
process.send?.({ admitted, stats: limiter.stats() }, () => {
  limiter.close().then(() => process.exit(0));
});
