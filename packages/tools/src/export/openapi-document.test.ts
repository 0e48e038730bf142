import { type AnyTool, defineTool, ToolError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openApiStructureProblems } from './__fixtures__/openapi-structure.js';
import { toolsOpenApiDocument } from './openapi-document.js';

interface TreeNode {
  name: string;
  children: TreeNode[];
}
const treeNode: z.ZodType<TreeNode> = z.object({
  name: z.string(),
  get children() {
    return z.array(treeNode);
  },
});

const weatherV1 = defineTool({
  name: 'weather',
  version: '1.4.0',
  description: 'Current weather for a city. Uses the old provider.',
  deprecated: { replacement: 'weather@2', message: 'The old provider shuts down in June.' },
  input: z.object({ city: z.string() }),
  execute: ({ city }) => `sunny in ${city}`,
});
const weatherV2 = defineTool({
  name: 'weather',
  version: '2.0.0',
  description: 'Current weather for a city.',
  input: z.object({ city: z.string(), units: z.enum(['metric', 'imperial']).optional() }),
  output: z.object({ tempC: z.number(), summary: z.string() }),
  execute: () => ({ tempC: 4, summary: 'cloudy' }),
});
const outline = defineTool({
  name: 'outline',
  description: `Outlines a document as a tree of headings. ${'Long text. '.repeat(20)}`,
  input: z.object({ root: treeNode }),
  output: treeNode,
  execute: ({ root }) => root,
});
const clock = defineTool({
  name: 'clock',
  description: 'The time.',
  input: z.object({}),
  execute: () => 'now',
});

function schemaAt(document: ReturnType<typeof toolsOpenApiDocument>, ref: unknown): Record<string, unknown> {
  const name = String((ref as { $ref: string }).$ref).replace('#/components/schemas/', '');
  const schema = document.components.schemas[name];
  if (!schema) throw new Error(`no component ${name}`);
  return schema;
}

describe('toolsOpenApiDocument', () => {
  const tools: AnyTool[] = [weatherV1, weatherV2, outline, clock];

  it('is a structurally valid OpenAPI 3.1 document whose every $ref resolves', () => {
    const document = toolsOpenApiDocument(tools, {
      title: 'Acme tools',
      version: '3.0.0',
      serverUrl: 'https://acme.dev',
    });

    expect(openApiStructureProblems(document as unknown as Record<string, unknown>)).toEqual([]);
    expect(document).toMatchObject({
      openapi: '3.1.0',
      info: { title: 'Acme tools', version: '3.0.0' },
      servers: [{ url: 'https://acme.dev' }],
    });
  });

  it('has one POST per tool, the latest at the bare name and every version at name@version', () => {
    const document = toolsOpenApiDocument(tools);

    expect(Object.keys(document.paths).sort()).toEqual([
      '/tools/clock',
      '/tools/outline',
      '/tools/weather',
      '/tools/weather@1.4.0',
      '/tools/weather@2.0.0',
    ]);
    expect(document.paths['/tools/weather']?.post).toMatchObject({
      operationId: 'weather',
      'x-tool-version': '2.0.0',
    });
    expect(document.paths['/tools/weather@1.4.0']?.post.operationId).toBe('weather@1.4.0');
    expect(document.paths['/tools/clock']?.post).not.toHaveProperty('x-tool-version');
  });

  it('marks a deprecated version and says what replaces it', () => {
    const operation = toolsOpenApiDocument(tools).paths['/tools/weather@1.4.0']?.post;

    expect(operation?.deprecated).toBe(true);
    expect(operation?.summary).toBe('Current weather for a city.');
    expect(operation?.description).toBe(
      'Current weather for a city. Uses the old provider.\n\nDeprecated: use weather@2 instead. The old provider shuts down in June.',
    );
    expect(toolsOpenApiDocument(tools).paths['/tools/weather']?.post).not.toHaveProperty('deprecated');
  });

  it('takes the input as the request body, answers the output schema or any JSON, and 422 as a problem', () => {
    const document = toolsOpenApiDocument(tools);
    const weather = document.paths['/tools/weather']?.post;
    const clockOperation = document.paths['/tools/clock']?.post;

    expect(schemaAt(document, weather?.requestBody.content['application/json'].schema)).toMatchObject({
      type: 'object',
      required: ['city'],
    });
    expect(
      schemaAt(document, weather?.responses['200']?.content?.['application/json']?.schema),
    ).toMatchObject({
      required: ['tempC', 'summary'],
    });
    expect(clockOperation?.responses['200']?.content?.['application/json']?.schema).toEqual({});
    expect(weather?.responses['422']?.content?.['application/problem+json']?.schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
    expect(document.components.schemas.Problem).toMatchObject({
      required: ['type', 'title', 'status', 'detail', 'code'],
    });
    expect(document.components.schemas['weather.v2.0.0.Input']).not.toHaveProperty('$schema');
  });

  it('moves $defs of recursive schemas into components and rewrites their references', () => {
    const document = toolsOpenApiDocument([outline]);
    const input = document.components.schemas['outline.Input'];
    const output = document.components.schemas['outline.Output'];

    expect(JSON.stringify(document)).not.toContain('"#/$defs/');
    expect(JSON.stringify(document)).not.toContain('"$ref":"#"');
    expect(input).not.toHaveProperty('$defs');
    expect(JSON.stringify(input)).toContain('"$ref":"#/components/schemas/outline.Input.__schema0"');
    expect(document.components.schemas['outline.Input.__schema0']).toMatchObject({
      required: ['name', 'children'],
    });
    expect(JSON.stringify(output)).toContain('"$ref":"#/components/schemas/outline.Output"');
    expect(document.paths['/tools/outline']?.post.summary).toBe('Outlines a document as a tree of headings.');
    expect(openApiStructureProblems(document as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('puts operations under the given prefix, or at the root', () => {
    expect(Object.keys(toolsOpenApiDocument([clock], { pathPrefix: 'api/v1/' }).paths)).toEqual([
      '/api/v1/clock',
    ]);
    expect(Object.keys(toolsOpenApiDocument([clock], { pathPrefix: '/' }).paths)).toEqual(['/clock']);
  });

  it('shortens a long first sentence for the summary', () => {
    const chatty = defineTool({
      name: 'chatty',
      description: 'x'.repeat(300),
      input: z.object({}),
      execute: () => 1,
    });

    const summary = toolsOpenApiDocument([chatty]).paths['/tools/chatty']?.post.summary;

    expect(summary).toHaveLength(120);
    expect(summary?.endsWith('…')).toBe(true);
  });

  it('refuses the same tool version twice', () => {
    expect(() => toolsOpenApiDocument([clock, clock])).toThrow(ToolError);
    expect(() => toolsOpenApiDocument([clock, clock])).toThrow('Tool "clock" (unversioned) is listed twice');
  });
});
