// Runs every benchmark in turn with the same arguments (`--quick` for the CI smoke run), each in
// its own process so one's heap and JIT state can't colour another's numbers.
import { spawnSync } from 'node:child_process';

const scripts = [
  ['--expose-gc', 'agent-loop.bench.mjs'],
  ['redis-limiter.bench.mjs'],
  ['observability.bench.mjs'],
  ['http-server.bench.mjs'],
  ['tools.bench.mjs'],
];
const args = process.argv.slice(2).filter((arg) => arg !== '--');
for (const script of scripts) {
  console.log(`\n### ${script.at(-1)}\n`);
  const { status } = spawnSync(process.execPath, [...script, ...args], {
    stdio: 'inherit',
    cwd: import.meta.dirname,
  });
  if (status !== 0) process.exit(status ?? 1);
}
