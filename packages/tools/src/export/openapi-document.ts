import { type AnyTool, ToolError } from '@agent/core';
import { latestVersion } from '../catalog/tool-reference.js';
import type { OpenApiDocument, OpenApiOperation, ToolsOpenApiOptions } from './openapi-types.js';
import { PROBLEM_SCHEMA } from './problem-schema.js';
import { addSchemaComponent, componentName } from './schema-components.js';
import { type JsonSchema, toolJsonSchemas } from './tool-json-schemas.js';

const MAX_SUMMARY_CHARS = 120;

/**
 * One OpenAPI 3.1 document for a set of tools: each tool is `POST {pathPrefix}/{name}` taking its
 * input as the JSON body, answering 200 with its output (any JSON when it declares no output
 * schema) or 422 with an RFC 9457 problem when the input is invalid.
 *
 * Several versions of one name: `{pathPrefix}/{name}` is the latest version (what the catalog
 * resolves `name` to, operationId `name`), and EVERY version also gets
 * `{pathPrefix}/{name}@{version}` (operationId `name@version`; `0.0.0` for an unversioned one).
 * A name with a single version gets only `{pathPrefix}/{name}`.
 *
 * @example
 * ```ts
 * const document = toolsOpenApiDocument(catalog.list().map((entry) => entry.tool), {
 *   title: 'Acme tools',
 *   serverUrl: 'https://agents.acme.dev',
 * });
 * await writeFile('tools.openapi.json', JSON.stringify(document, null, 2));
 * ```
 */
export function toolsOpenApiDocument(
  tools: Iterable<AnyTool>,
  options: ToolsOpenApiOptions = {},
): OpenApiDocument {
  const trimmed = (options.pathPrefix ?? '/tools').replace(/^\/+|\/+$/g, '');
  const prefix = trimmed === '' ? '' : `/${trimmed}`;
  const schemas: Record<string, JsonSchema> = { Problem: structuredClone(PROBLEM_SCHEMA) };
  const paths: OpenApiDocument['paths'] = {};
  for (const [name, versions] of groupByName(tools)) {
    const latest = latestVersion([...versions.keys()]);
    for (const [version, tool] of versions) {
      const base = componentName(versions.size > 1 ? `${name}.v${version}` : name);
      const refs = schemaRefs(schemas, base, tool);
      if (version === latest) paths[`${prefix}/${name}`] = { post: operation(tool, name, refs) };
      if (versions.size > 1)
        paths[`${prefix}/${name}@${version}`] = { post: operation(tool, `${name}@${version}`, refs) };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'Agent tools',
      version: options.version ?? '1.0.0',
      ...(options.description !== undefined ? { description: options.description } : {}),
    },
    ...(options.serverUrl !== undefined ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [{ name: 'tools', description: 'Tools, each called with its input as the JSON body.' }],
    paths,
    components: { schemas },
  };
}

function groupByName(tools: Iterable<AnyTool>): Map<string, Map<string, AnyTool>> {
  const groups = new Map<string, Map<string, AnyTool>>();
  for (const tool of [...tools].sort((a, b) => a.name.localeCompare(b.name))) {
    const version = tool.version ?? '0.0.0';
    const versions = groups.get(tool.name) ?? new Map<string, AnyTool>();
    if (versions.has(version)) {
      throw new ToolError(
        'TOOL_DUPLICATE',
        tool.name,
        `Tool "${tool.name}" (${tool.version ?? 'unversioned'}) is listed twice: pass each tool version once (e.g. from catalog.list()).`,
      );
    }
    versions.set(version, tool);
    groups.set(tool.name, versions);
  }
  return groups;
}

function schemaRefs(schemas: Record<string, JsonSchema>, base: string, tool: AnyTool) {
  const { input, output } = toolJsonSchemas(tool);
  return {
    input: addSchemaComponent(schemas, `${base}.Input`, input),
    output: output === undefined ? undefined : addSchemaComponent(schemas, `${base}.Output`, output),
  };
}

function operation(
  tool: AnyTool,
  operationId: string,
  refs: { input: JsonSchema; output: JsonSchema | undefined },
): OpenApiOperation {
  const deprecation = tool.deprecated
    ? `\n\nDeprecated${tool.deprecated.replacement ? `: use ${tool.deprecated.replacement} instead` : ''}.${tool.deprecated.message ? ` ${tool.deprecated.message}` : ''}`
    : '';
  return {
    operationId,
    summary: summaryOf(tool.description),
    description: `${tool.description}${deprecation}`,
    tags: ['tools'],
    ...(tool.deprecated ? { deprecated: true as const } : {}),
    ...(tool.version !== undefined ? { 'x-tool-version': tool.version } : {}),
    requestBody: { required: true, content: { 'application/json': { schema: refs.input } } },
    responses: {
      '200': {
        description: refs.output
          ? "The tool's output."
          : "The tool's output (any JSON: the tool declares no output schema).",
        content: { 'application/json': { schema: refs.output ?? {} } },
      },
      '422': {
        description: "The input does not match the tool's input schema (RFC 9457 problem details).",
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    },
  };
}

// The first sentence or line, short enough for an API browser's operation list.
function summaryOf(description: string): string {
  const first = description.trim().split(/\n|(?<=\.)\s/)[0] ?? description;
  return first.length > MAX_SUMMARY_CHARS ? `${first.slice(0, MAX_SUMMARY_CHARS - 1)}…` : first;
}
