import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { ServerEnv } from '../middleware/context-variables.js';
import { agentListSchema } from '../schemas/catalog.js';
import { problemResponses } from '../schemas/problem.js';
import { type RouteDeps, securityFor } from './route-context.js';

const listAgentsRoute = (deps: RouteDeps) =>
  createRoute({
    method: 'get',
    path: '/v1/agents',
    operationId: 'listAgents',
    tags: ['Catalog'],
    summary: 'List the agents',
    description: 'The agents this server runs, with their model and tools.',
    security: securityFor('runs:read'),
    middleware: [...deps.protect('runs:read'), ...deps.timeout],
    responses: {
      200: { description: 'The agents.', content: { 'application/json': { schema: agentListSchema } } },
      ...problemResponses({ auth: true, timeout: true }),
    },
  });

/** Registers `GET /v1/agents` (the tools are in `routes/tools.ts`). */
export function registerCatalogRoutes(app: OpenAPIHono<ServerEnv>, deps: RouteDeps): void {
  const { runtime } = deps;
  app.openapi(listAgentsRoute(deps), (c) =>
    c.json(
      {
        agents: runtime.agents.map((agent) => ({
          name: agent.name,
          ...(agent.description !== undefined ? { description: agent.description } : {}),
          kind: agent.kind,
          model: { ...agent.model },
          tools: [...agent.tools],
        })),
      },
      200,
    ),
  );
}
