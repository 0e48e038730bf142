import { isAbsolute, resolve } from 'node:path';
import { type AgentConfig, type EventStore, MemoryEventStore } from '@agent/core';

/** Where the config keeps its events: the resolved SQLite file, a Postgres URL, or memory. */
export type StoreLocation =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string }
  | { kind: 'memory' };

/** `observability.events` of the config; a relative SQLite path resolves against `configDir`. */
export function storeLocation(config: AgentConfig, configDir: string): StoreLocation {
  const events = config.observability.events;
  if (events.store === 'memory') return { kind: 'memory' };
  if (events.store === 'postgres') return { kind: 'postgres', url: events.url as string };
  const path = events.path ?? 'data/events.db';
  return { kind: 'sqlite', path: path === ':memory:' || isAbsolute(path) ? path : resolve(configDir, path) };
}

/** Opens the store; the drivers are imported only when used. */
export async function openEventStore(location: StoreLocation): Promise<EventStore> {
  if (location.kind === 'memory') return new MemoryEventStore();
  if (location.kind === 'postgres') {
    const { PostgresEventStore } = await import('@agent/observability/postgres');
    const { connectionString, schema } = splitSchema(location.url);
    return new PostgresEventStore({ connectionString, ...(schema !== undefined ? { schema } : {}) });
  }
  const { SqliteEventStore } = await import('@agent/observability/sqlite');
  return new SqliteEventStore({ path: location.path });
}

/** Takes `?schema=` out of a Postgres URL, as the server does. */
function splitSchema(url: string): { connectionString: string; schema: string | undefined } {
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
