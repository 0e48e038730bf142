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

/** A tool as `GET /v1/tools` lists it (`ToolInfo`). */
export const toolInfoSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    inputSchema: z
      .record(z.string(), z.unknown())
      .openapi({ description: "JSON Schema (draft 2020-12) of the tool's input." }),
  })
  .openapi('ToolInfo');

export const agentListSchema = z.object({ agents: z.array(agentInfoSchema) }).openapi('AgentList');
export const toolListSchema = z.object({ tools: z.array(toolInfoSchema) }).openapi('ToolList');
