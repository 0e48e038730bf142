import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** The shared Redis the tests run against. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test uses, so tests never see each other's counters. */
export function uniquePrefix(name: string): string {
  return `test:${name}:${process.pid}:${Date.now()}:${Math.random().toString(36).slice(2)}:`;
}

/** A redis-server child process on its own port, for tests that kill, restart or pause it. */
export interface DedicatedRedis {
  readonly port: number;
  readonly url: string;
  /** Kills the server with SIGKILL (no clean shutdown, like a crash). */
  kill(): Promise<void>;
  /** Starts the server again on the same port (with no data: persistence is off). */
  start(): Promise<void>;
}

/** Starts a redis-server on a free loopback port and waits until it answers PING. */
export async function startDedicatedRedis(): Promise<DedicatedRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const server: DedicatedRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      const running = child;
      child = undefined;
      if (running === undefined || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
    async start() {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
      child = spawn('redis-server', args, { stdio: 'ignore' });
      await waitForPing(port);
    },
  };
  await server.start();
  return server;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('No port was assigned.');
  return address.port;
}

async function waitForPing(port: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      client.disconnect();
    }
  }
  throw new Error(`redis-server on port ${port} did not start within 5 s.`);
}
