import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('packages/observability/README.md example', () => {
  it('is exactly the code of this example, so the README cannot rot', async () => {
    const readme = await readFile(here('../../../../packages/observability/README.md'), 'utf8');
    const source = await readFile(here('./index.ts'), 'utf8');

    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];

    expect(block).toBe(source);
  });

  it('runs: log lines carry the ids, the store replays the run redacted, the metrics count it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'observability-example-'));
    dirs.push(dir);
    const { stdout } = await promisify(execFile)(process.execPath, [here('../dist/index.js')], {
      env: { ...process.env, EVENTS_DB: join(dir, 'events.db'), NO_COLOR: '1' },
    });

    const toolLine = stdout.split('\n').find((line) => line.includes('looking up a customer'));
    expect(toolLine).toMatch(/requestId=req-1/);
    expect(toolLine).toMatch(/runId=/);
    expect(toolLine).toContain('[REDACTED:email]');
    expect(stdout).toContain('#0 run.started');
    expect(stdout).toMatch(/#\d+ run\.completed/);
    expect(stdout).toContain('agent_runs_total{agent="support",status="completed"} 1');
    // Span names from the console exporter.
    expect(stdout).toContain("name: 'invoke_agent support'");
    expect(stdout).toContain("name: 'execute_tool lookup_customer'");
    expect(stdout).not.toContain('jane.doe@example.com');
  });
});
