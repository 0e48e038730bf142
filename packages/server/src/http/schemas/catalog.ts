import { z } from '@hono/zod-openapi';

/** An agent as `GET /v1/agents` lists it (`AgentInfo`). */
export const agentInfoSchema = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    kind: z.enum(['agent', 'planner-executor']),
    model: z.object({ name: z.string(), provider: z.string(), model: z.string() }),
    tools: z.array(z.string()),
  })
  .openapi('AgentInfo');

export const agentListSchema = z.object({ agents: z.array(agentInfoSchema) }).openapi('AgentList');
