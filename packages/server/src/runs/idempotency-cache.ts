import { createHash } from 'node:crypto';
import { type Clock, systemClock } from '@agent/core';

/** What an idempotency key maps to: the run it started and a fingerprint of the request body. */
export interface IdempotencyEntry {
  runId: string;
  fingerprint: string;
}

/** Options of {@link IdempotencyCache}. */
export interface IdempotencyCacheOptions {
  /** Most keys remembered; the least recently used is forgotten first. @default 10_000 */
  maxEntries?: number;
  /** How long a key is remembered after its first use (ms). @default 86_400_000 (24 h) */
  ttlMs?: number;
  /** @default systemClock */
  clock?: Clock;
}

interface StoredEntry extends IdempotencyEntry {
  expiresAt: number;
}

/** A bounded LRU of idempotency keys with a time to live. */
export class IdempotencyCache {
  private readonly entries = new Map<string, StoredEntry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly clock: Clock;

  constructor(options: IdempotencyCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.ttlMs = options.ttlMs ?? 86_400_000;
    this.clock = options.clock ?? systemClock;
  }

  /** Keys currently remembered (expired ones may still count until touched). */
  get size(): number {
    return this.entries.size;
  }

  /** The entry of `key`, unless it expired; marks it recently used. */
  get(key: string): IdempotencyEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.clock.now()) return undefined;
    this.entries.set(key, entry);
    return { runId: entry.runId, fingerprint: entry.fingerprint };
  }

  /** Remembers `key`, forgetting the least recently used keys beyond the bound. */
  set(key: string, value: IdempotencyEntry): void {
    this.entries.delete(key);
    this.entries.set(key, { ...value, expiresAt: this.clock.now() + this.ttlMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }
}

/** The cache key: the same key means the same request only within one tenant and agent. */
export function idempotencyKeyOf(tenant: string, agent: string, key: string): string {
  return JSON.stringify([tenant, agent, key]);
}

/** A hash of what makes two requests "the same": agent, input, conversation and metadata. */
export function requestFingerprint(body: {
  agent: string;
  input: string;
  conversationId?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
}): string {
  const canonical = stableStringify({
    agent: body.agent,
    input: body.input,
    conversationId: body.conversationId ?? null,
    metadata: body.metadata ?? null,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` fingerprint alike. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value, 0)) ?? 'undefined';
}

function sortKeys(value: unknown, depth: number): unknown {
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => sortKeys(item, depth + 1));
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    sorted[key] = sortKeys((value as Record<string, unknown>)[key], depth + 1);
  }
  return sorted;
}
