import { isAbsolute, resolve } from 'node:path';
import { type AgentConfig, type EventStore, MemoryEventStore } from '@agent/core';

/**
 * Opens the event store of `observability.events`: SQLite (default `<cwd>/data/events.db`,
 * relative paths against `cwd`), Postgres, or in memory. The drivers are imported only when used.
 * A Postgres URL may carry `?schema=<name>` to keep the tables out of `public`.
 */
export async function buildStore(config: AgentConfig, cwd: string): Promise<EventStore> {
  const events = config.observability.events;
  const retention = events.retention;
  if (events.store === 'memory') return new MemoryEventStore();
  if (events.store === 'postgres') {
    const { PostgresEventStore } = await import('@agent/observability/postgres');
    const { connectionString, schema } = splitSchema(events.url as string);
    return new PostgresEventStore({
      connectionString,
      ...(schema !== undefined ? { schema } : {}),
      ...(retention !== undefined ? { retention } : {}),
    });
  }
  const { mkdir } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  const { SqliteEventStore } = await import('@agent/observability/sqlite');
  const path = events.path ?? 'data/events.db';
  const absolute = path === ':memory:' || isAbsolute(path) ? path : resolve(cwd, path);
  if (absolute !== ':memory:') await mkdir(dirname(absolute), { recursive: true });
  return new SqliteEventStore({ path: absolute, ...(retention !== undefined ? { retention } : {}) });
}

/** Takes `schema` out of the URL's query (pg would pass it on as a startup parameter). */
export function splitSchema(url: string): { connectionString: string; schema: string | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { connectionString: url, schema: undefined };
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema === undefined) return { connectionString: url, schema };
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}
