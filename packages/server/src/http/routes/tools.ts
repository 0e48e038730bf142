import { randomUUID } from 'node:crypto';
import { executeToolCall, ToolRegistry } from '@agent/core';
import { toolsOpenApiDocument } from '@agent/tools';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { HttpProblem } from '../http-problem.js';
import type { ServerEnv } from '../middleware/context-variables.js';
import { problemResponse, problemResponses } from '../schemas/problem.js';
import { jsonBody } from './json-body.js';
import { connectionOf, type RouteDeps, securityFor } from './route-context.js';

// Tools without a timeout of their own get this one when called over HTTP, as in an agent.
const DEFAULT_TOOL_TIMEOUT_MS = 60_000;

const toolsDocumentRoute = (deps: RouteDeps) =>
  createRoute({
    method: 'get',
    path: '/v1/tools',
    operationId: 'listTools',
    tags: ['Tools'],
    summary: 'Every tool, as one OpenAPI document',
    description: [
      'An OpenAPI 3.1 document with one `POST /v1/tools/{name}` operation per tool (and `/v1/tools/{name}@{version}` for each version when a tool has several): its input JSON Schema as the request body, its output schema as the 200 response, `deprecated` and `x-tool-version`.',
      'Feed it to any OpenAPI tooling to call the tools directly, or read it to see what the agents can use.',
    ].join('\n'),
    security: securityFor('runs:read'),
    middleware: [...deps.protect('runs:read'), ...deps.timeout],
    responses: {
      200: {
        description: 'The OpenAPI 3.1 document of the tools.',
        content: {
          'application/json': {
            schema: z.record(z.string(), z.unknown()).openapi({ description: 'An OpenAPI 3.1 document.' }),
          },
        },
      },
      ...problemResponses({ auth: true, timeout: true }),
    },
  });

const callToolRoute = (deps: RouteDeps) =>
  createRoute({
    method: 'post',
    path: '/v1/tools/{tool}',
    operationId: 'callTool',
    tags: ['Tools'],
    summary: 'Call a tool directly',
    description: [
      'Runs one tool with the JSON body as its input, validated against its schema exactly as for a model, and answers with its output. `tool` is a name (the highest version) or `name@version`.',
      'Not a run: nothing is recorded in the event store. Needs the `tools:call` scope (or `admin`), because tools act on the world (HTTP fetches, files).',
    ].join('\n'),
    security: securityFor('tools:call'),
    middleware: [...deps.protect('tools:call'), ...deps.timeout, jsonBody()],
    request: {
      params: z.object({
        tool: z
          .string()
          .min(1)
          .max(200)
          .openapi({ example: 'calculator', description: 'Tool name, or name@version.' }),
      }),
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.record(z.string(), z.unknown()).openapi({ description: "The tool's input." }),
          },
        },
      },
    },
    responses: {
      200: {
        description: "The tool's output.",
        content: {
          'application/json': { schema: z.unknown().openapi({ description: "The tool's output." }) },
        },
      },
      ...problemResponses({ auth: true, body: true, timeout: true }),
      404: problemResponse('There is no tool with this name or version (`tool-not-found`).'),
      422: problemResponse(
        "The input does not match the tool's schema (`tool-input-invalid`, with the problems), a guard refused it (`tool-refused`), or the tool failed or timed out.",
      ),
    },
  });

/** Registers `GET /v1/tools` (the tools' OpenAPI document) and `POST /v1/tools/{tool}`. */
export function registerToolRoutes(app: OpenAPIHono<ServerEnv>, deps: RouteDeps): void {
  const { runtime } = deps;
  // Computed once: the catalog does not change while the server runs.
  let document: ReturnType<typeof toolsOpenApiDocument> | undefined;

  app.openapi(toolsDocumentRoute(deps), (c) => {
    document ??= toolsOpenApiDocument(
      runtime.toolCatalog.list().map((entry) => entry.tool),
      { title: 'Agent SDK server tools', pathPrefix: '/v1/tools' },
    );
    return c.json(document as unknown as Record<string, unknown>, 200);
  });

  app.openapi(callToolRoute(deps), async (c) => {
    const { tool: reference } = c.req.valid('param');
    const input = c.req.valid('json');
    const principal = c.get('principal');
    if (!runtime.toolCatalog.has(reference)) {
      throw new HttpProblem({
        status: 404,
        code: 'tool-not-found',
        detail: `There is no tool "${reference}" (or no version of it that matches). GET /v1/tools lists the tools and their versions.`,
      });
    }
    const tool = runtime.toolCatalog.resolve(reference);
    const callId = `http-${randomUUID()}`;
    const outcome = await executeToolCall(
      { id: callId, name: tool.name, arguments: input },
      {
        registry: new ToolRegistry([tool]),
        runId: callId,
        agent: 'http',
        tenant: principal.tenant,
        logger: runtime.logger,
        signal: connectionOf(c).signal,
        defaultTimeoutMs: DEFAULT_TOOL_TIMEOUT_MS,
      },
    );
    runtime.logger.info('tool called over HTTP', {
      tool: tool.name,
      version: tool.version,
      ok: outcome.ok,
      subject: principal.subject,
      ...(outcome.ok ? {} : { code: outcome.error.code }),
    });
    if (!outcome.ok) throw outcome.error;
    return c.json(outcome.output as Record<string, unknown>, 200);
  });
}
