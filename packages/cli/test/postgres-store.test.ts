import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_SUCCESS } from '../src/exit-codes.js';
import { cli, project, VALID_CONFIG } from './helpers.js';

// `agent run`, `events replay` and `events tail --run` against a real PostgreSQL store, in a
// schema of its own (the URL's ?schema=), dropped afterwards. CI starts PostgreSQL; without one
// these tests fail, they never skip.
const DATABASE = process.env.AGENT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `cli_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const storeUrl = `${DATABASE}${DATABASE.includes('?') ? '&' : '?'}schema=${schema}`;

const created = await project({
  'agent.config.yaml': VALID_CONFIG.replace(
    '    store: memory\n',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a ${VAR} of the config file, read from env.
    '    store: postgres\n    url: ${STORE_URL}\n',
  ),
});
const env = { STORE_URL: storeUrl };

afterAll(async () => {
  await created.remove();
  const client = new pg.Client({ connectionString: DATABASE });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

describe('the CLI on a Postgres event store', () => {
  it('records a run, replays it and follows it to its end', async () => {
    const ran = await cli(['run', 'assistant', 'What time is it?', '--json'], { cwd: created.path, env });
    expect(ran.stderr).not.toContain('error');
    expect(ran.code).toBe(EXIT_SUCCESS);
    const runId = (JSON.parse(ran.stdout.split('\n')[0] ?? '{}') as { runId: string }).runId;

    const replay = await cli(['events', 'replay', runId, '--json'], { cwd: created.path, env });
    expect(replay.code).toBe(EXIT_SUCCESS);
    // jsonb keeps values, not key order: compare the events, not the text.
    const events = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown);
    expect(events(replay.stdout)).toEqual(events(ran.stdout));

    const tail = await cli(['events', 'tail', '--run', runId, '--interval', '20'], {
      cwd: created.path,
      env,
    });
    expect(tail.code).toBe(EXIT_SUCCESS);
    expect(tail.stdout).toContain('→ current_time({})');
    expect(tail.stdout).toContain('completed');
  });
});
