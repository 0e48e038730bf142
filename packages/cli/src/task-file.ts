import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { UsageError } from './context.js';

/** What `agent run --file task.yaml` reads. */
export interface TaskFile {
  input: string;
  conversationId?: string;
  metadata?: Record<string, unknown>;
}

const KEYS = new Set(['input', 'conversationId', 'metadata']);

/**
 * Reads a task file (YAML, so JSON too): `input` (required text), `conversationId` and `metadata`
 * (a mapping). Every problem is a usage error naming the file and the fix.
 *
 * @example
 * ```yaml
 * input: Summarise the open orders.
 * conversationId: support-42
 * metadata: { channel: email }
 * ```
 */
export async function readTaskFile(path: string): Promise<TaskFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read the task file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new UsageError(`${path} must be a mapping with at least "input: <the task>"`);
  }
  const fields = document as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(fields))
    if (!KEYS.has(key)) problems.push(`unknown key "${key}" (allowed: input, conversationId, metadata)`);
  const { input, conversationId, metadata } = fields;
  if (typeof input !== 'string' || input.trim() === '')
    problems.push('"input" must be the task as non-empty text');
  if (conversationId !== undefined && typeof conversationId !== 'string')
    problems.push('"conversationId" must be text');
  const isMapping = typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata);
  if (metadata !== undefined && !isMapping) problems.push('"metadata" must be a mapping of keys to values');
  if (problems.length > 0)
    throw new UsageError(`${path}:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  return {
    input: (input as string).trim(),
    ...(conversationId !== undefined ? { conversationId: conversationId as string } : {}),
    ...(metadata !== undefined ? { metadata: metadata as Record<string, unknown> } : {}),
  };
}
