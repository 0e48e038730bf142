import type { JsonSchema } from './tool-json-schemas.js';

const COMPONENT_NAME_UNSAFE = /[^A-Za-z0-9._-]/g;

/** A component key OpenAPI accepts (`^[a-zA-Z0-9.\-_]+$`). */
export function componentName(raw: string): string {
  return raw.replace(COMPONENT_NAME_UNSAFE, '_');
}

/**
 * Adds `schema` to `components` under `name` and returns a `$ref` to it. `$defs` move to their own
 * components and every `$ref` is rewritten: inside an OpenAPI document `#` and `#/$defs/...` would
 * point at the document root, where nothing is, and many tools ignore a nested `$id`.
 */
export function addSchemaComponent(
  components: Record<string, JsonSchema>,
  name: string,
  schema: JsonSchema,
): JsonSchema {
  const { $schema: _dialect, $defs, ...root } = schema;
  const definitions = isRecord($defs) ? $defs : {};
  const targets = new Map<string, string>([['#', `#/components/schemas/${name}`]]);
  for (const key of Object.keys(definitions)) {
    targets.set(`#/$defs/${escapePointer(key)}`, `#/components/schemas/${componentName(`${name}.${key}`)}`);
  }
  components[name] = rewriteRefs(root, targets) as JsonSchema;
  for (const [key, definition] of Object.entries(definitions)) {
    components[componentName(`${name}.${key}`)] = rewriteRefs(definition, targets) as JsonSchema;
  }
  return { $ref: `#/components/schemas/${name}` };
}

function rewriteRefs(value: unknown, targets: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, targets));
  if (!isRecord(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    result[key] =
      key === '$ref' && typeof child === 'string'
        ? (targets.get(child) ?? child)
        : rewriteRefs(child, targets);
  }
  return result;
}

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
