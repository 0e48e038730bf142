import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REDIS_URL, uniquePrefix } from './__fixtures__/redis-server.js';

const WORKER = fileURLToPath(new URL('./__fixtures__/acquire-worker.mjs', import.meta.url));

interface WorkerResult {
  admitted: number;
  stats: { storeErrors: number; fallbackDecisions: number };
}

function nextMessage(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before answering`)));
  });
}

describe('RedisRateLimiter across processes', () => {
  it('admits exactly the limit in total when four processes race on one key', async () => {
    const keyPrefix = uniquePrefix('processes');
    const workers = Array.from({ length: 4 }, () => fork(WORKER, [REDIS_URL, keyPrefix, '50']));
    try {
      await Promise.all(workers.map(nextMessage));

      const results = workers.map(nextMessage);
      for (const worker of workers) worker.send('go');
      const answers = (await Promise.all(results)) as WorkerResult[];

      const admitted = answers.reduce((total, answer) => total + answer.admitted, 0);
      expect(admitted).toBe(60);
      expect(answers.every((answer) => answer.stats.storeErrors === 0)).toBe(true);
    } finally {
      for (const worker of workers) worker.kill();
    }
  });
});
