/**
 * Structural checks of an OpenAPI 3.1 document (no network validator): the problems found, empty
 * when the document is well-formed. Covers what the export can get wrong: versions, required
 * fields, unique operation ids, component names, and every `$ref` resolving inside the document.
 */
export function openApiStructureProblems(document: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof document.openapi !== 'string' || !/^3\.1\.\d+$/.test(document.openapi))
    problems.push('openapi is not 3.1.x');
  const info = document.info as Record<string, unknown> | undefined;
  if (typeof info?.title !== 'string' || typeof info.version !== 'string')
    problems.push('info needs title and version');
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(
    (document.paths ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    if (!path.startsWith('/')) problems.push(`path ${path} does not start with /`);
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].includes(method)) {
        problems.push(`${path}: unknown method ${method}`);
        continue;
      }
      const op = operation as Record<string, unknown>;
      const id = op.operationId as string;
      if (operationIds.has(id)) problems.push(`operationId ${id} is not unique`);
      operationIds.add(id);
      const responses = Object.entries((op.responses ?? {}) as Record<string, Record<string, unknown>>);
      if (responses.length === 0) problems.push(`${path}: no responses`);
      for (const [status, response] of responses) {
        if (!/^(?:[1-5](?:\d\d|XX)|default)$/.test(status)) problems.push(`${path}: bad status ${status}`);
        if (typeof response.description !== 'string') problems.push(`${path} ${status}: no description`);
      }
    }
  }
  const schemas = ((document.components as Record<string, unknown> | undefined)?.schemas ?? {}) as Record<
    string,
    unknown
  >;
  for (const name of Object.keys(schemas)) {
    if (!/^[a-zA-Z0-9.\-_]+$/.test(name)) problems.push(`component name ${name} is invalid`);
  }
  for (const ref of collectRefs(document)) {
    if (!ref.startsWith('#/') || resolvePointer(document, ref.slice(2)) === undefined)
      problems.push(`$ref ${ref} does not resolve`);
  }
  return problems;
}

function collectRefs(value: unknown, refs: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, refs);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') refs.push(child);
      else collectRefs(child, refs);
    }
  }
  return refs;
}

function resolvePointer(root: unknown, pointer: string): unknown {
  let current: unknown = root;
  for (const raw of pointer.split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
