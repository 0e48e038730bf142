import type { z } from 'zod';
import { agentConfigSchema } from './config-schema.js';

// Turns zod's issues into the words a person editing agent.config.yaml needs: what is wrong in
// YAML terms and what to type instead. Pure, like the schema it reads allowed keys from.

type Issue = z.core.$ZodIssue;

const TYPE_NOUNS: Record<string, string> = {
  object: 'a mapping (indented "key: value" lines)',
  record: 'a mapping (indented "name: value" lines)',
  array: 'a list (indented "- item" lines)',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

function nounFor(expected: string): string {
  return TYPE_NOUNS[expected] ?? expected;
}

/**
 * A one-line, human fix for a zod issue found in `agent.config.yaml`: unknown keys get the allowed
 * keys and a spelling suggestion, wrong types and enums say what to write, custom issues carry their own.
 *
 * @example
 * ```ts
 * const result = agentConfigSchema.safeParse(input);
 * if (!result.success) for (const issue of result.error.issues) console.log(issue.message, fixForIssue(issue));
 * ```
 */
export function fixForIssue(issue: Issue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return fixForUnknownKeys(issue.keys, allowedKeysAt(issue.path));
    case 'invalid_type':
      return fixForType(issue);
    case 'too_small':
      return fixForBound('at least', issue.origin, Number(issue.minimum), issue.inclusive !== false);
    case 'too_big':
      return fixForBound('at most', issue.origin, Number(issue.maximum), issue.inclusive !== false);
    case 'invalid_value':
      return `use one of: ${issue.values.map((value) => String(value)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'url'
        ? 'use a full http(s) URL, e.g. https://api.example.com/v1'
        : `use a value in ${issue.format} format`;
    case 'invalid_union':
      return fixForUnion(issue.errors);
    case 'invalid_key':
    case 'invalid_element': {
      const [inner] = issue.issues;
      return inner === undefined ? 'rename it' : fixForIssue(inner);
    }
    case 'custom': {
      const fix: unknown = issue.params?.fix;
      return typeof fix === 'string' ? fix : 'check the value against the configuration reference';
    }
    default:
      return 'check the value against the configuration reference';
  }
}

/** The message to show for a zod issue: zod's own, made specific for missing and unknown keys. */
export function messageForIssue(issue: Issue): string {
  const last = issue.path.at(-1);
  if (issue.code === 'unrecognized_keys') {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(quote).join(', ')}`;
  }
  if (isMissing(issue) && last !== undefined) return `"${String(last)}" is required`;
  if (issue.code === 'invalid_type' && issue.input === null) {
    return `expected ${nounFor(issue.expected)} but the value is empty`;
  }
  if (issue.code === 'invalid_key') {
    return `${issue.issues[0]?.message ?? 'invalid key'}: "${String(last)}"`;
  }
  return issue.message;
}

/** True when a required key is absent (zod reports it as a wrong type whose input is undefined). */
export function isMissing(issue: Issue): boolean {
  return (
    issue.code === 'invalid_type' &&
    (('input' in issue && issue.input === undefined) || issue.message.endsWith('received undefined'))
  );
}

function fixForType(issue: Extract<Issue, { code: 'invalid_type' }>): string {
  const noun = nounFor(issue.expected);
  const last = issue.path.at(-1);
  if (isMissing(issue)) return last === undefined ? `add ${noun}` : `add "${String(last)}" with ${noun}`;
  if (issue.input === null) return `give it ${noun}, or remove the key`;
  // YAML reads 8080, true and null unquoted as non-strings; quoting is the usual fix.
  if (issue.expected === 'string') return 'use a string; quote the value so YAML reads it as text';
  return `use ${noun}`;
}

function fixForBound(direction: string, origin: string, limit: number, inclusive: boolean): string {
  if (origin === 'string') {
    return limit === 1 && direction === 'at least'
      ? 'use a non-empty string'
      : `use ${direction} ${limit} characters`;
  }
  if (origin === 'array' || origin === 'set')
    return `list ${direction} ${limit} item${limit === 1 ? '' : 's'}`;
  const sign = direction === 'at least' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
  return `use a number ${sign} ${limit}`;
}

function fixForUnion(branches: readonly (readonly Issue[])[]): string {
  const options = new Set<string>();
  for (const [first] of branches) {
    if (first?.code === 'invalid_value') for (const value of first.values) options.add(quote(String(value)));
    else if (first?.code === 'invalid_type') options.add(nounFor(first.expected));
  }
  const list = [...options];
  if (list.length === 0) return 'check the value against the configuration reference';
  return `use ${list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list.at(-1)}` : list[0]}`;
}

function fixForUnknownKeys(keys: readonly string[], allowed: readonly string[] | undefined): string {
  const allowedText = allowed === undefined ? '' : `; allowed keys are ${allowed.join(', ')}`;
  const suggestions = keys.flatMap((key) => {
    const match = allowed === undefined ? undefined : closest(key, allowed);
    if (match === undefined) return [];
    return [keys.length === 1 ? quote(match) : `${quote(match)} for ${quote(key)}`];
  });
  const hint = suggestions.length > 0 ? ` (did you mean ${suggestions.join(', ')}?)` : '';
  return `remove ${keys.length > 1 ? 'them' : 'it'} or check the spelling${hint}${allowedText}`;
}

interface SchemaDefinition {
  type: string;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
  valueType?: z.core.$ZodType;
  element?: z.core.$ZodType;
}

/** The keys the object schema at `path` allows, found by walking the config schema. */
export function allowedKeysAt(path: readonly PropertyKey[]): string[] | undefined {
  let schema: z.core.$ZodType | undefined = agentConfigSchema;
  let depth = 0;
  while (schema !== undefined) {
    const definition = schema._zod.def as unknown as SchemaDefinition;
    switch (definition.type) {
      case 'object':
        if (depth === path.length) return Object.keys(definition.shape ?? {});
        schema = definition.shape?.[String(path[depth])];
        depth++;
        break;
      case 'record':
      case 'array':
        if (depth === path.length) return undefined;
        schema = definition.type === 'record' ? definition.valueType : definition.element;
        depth++;
        break;
      case 'pipe':
        schema = definition.in;
        break;
      default:
        // optional, default, prefault and the like wrap the schema that matters.
        schema = definition.innerType;
    }
  }
  return undefined;
}

// A misspelling is close: few edits for its length, or only a difference in letter case.
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (
      distance <= Math.max(1, Math.floor(candidate.length / 3)) &&
      (best === undefined || distance < best.distance)
    ) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}

// Optimal string alignment distance: a swap of two neighbours ("modle") counts as one edit.
function editDistance(a: string, b: string): number {
  const width = b.length + 1;
  // One flat table of (a.length + 1) × (b.length + 1) cells; cell(row, 0) = row, cell(0, column) = column.
  const cells = Array.from({ length: (a.length + 1) * width }, (_, index) =>
    index < width ? index : index % width === 0 ? index / width : 0,
  );
  const cell = (row: number, column: number) => cells[row * width + column] ?? 0;
  for (let row = 1; row <= a.length; row++) {
    for (let column = 1; column <= b.length; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      let distance = Math.min(
        cell(row - 1, column) + 1,
        cell(row, column - 1) + 1,
        cell(row - 1, column - 1) + cost,
      );
      const swapped = row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1];
      if (swapped) distance = Math.min(distance, cell(row - 2, column - 2) + 1);
      cells[row * width + column] = distance;
    }
  }
  return cell(a.length, b.length);
}

function quote(text: string): string {
  return `"${text}"`;
}
