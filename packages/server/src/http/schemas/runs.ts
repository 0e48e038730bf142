import { z } from '@hono/zod-openapi';

/** Ids, keys and conversation ids: letters, digits and `._:-`, 1 to 200 characters. */
export const SAFE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

const SAFE_ID_HINT = 'use 1 to 200 letters, digits, ".", "_", ":" or "-", starting with a letter or digit';

/** Limits of a run's `metadata`: keys at its top level, its JSON size and nesting depth. */
export const METADATA_LIMITS = { maxKeys: 50, maxBytes: 16 * 1024, maxDepth: 16 } as const;

/** Longest `input` a run accepts, in characters. */
export const MAX_INPUT_LENGTH = 100_000;

const safeId = (what: string) =>
  z.string().regex(SAFE_ID_PATTERN, { error: `invalid ${what}: ${SAFE_ID_HINT}` });

export const runStatusSchema = z
  .enum(['running', 'completed', 'failed', 'cancelled'])
  .openapi('RunStatus', { description: 'Where a run is: `running`, or how it ended.' });

export const usageSchema = z
  .object({
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cacheReadTokens: z.number().int().optional(),
    cacheWriteTokens: z.number().int().optional(),
    costUsd: z.number().optional().openapi({ description: 'US dollars at list prices, when known.' }),
  })
  .openapi('Usage');

/** What the store knows of a run (`RunSummary`). */
export const runSummarySchema = z
  .object({
    runId: z.string(),
    agent: z.string(),
    tenant: z.string().optional(),
    status: runStatusSchema,
    startedAt: z.number().int().openapi({ description: 'Milliseconds since the epoch.' }),
    endedAt: z.number().int().optional(),
    usage: usageSchema,
    eventCount: z.number().int(),
    missingEvents: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'Events that never reached the store; absent when none are missing.' }),
    errorCode: z.string().optional(),
  })
  .openapi('RunSummary');

/** A run as `GET /v1/runs/{id}` returns it (`RunRecord`). */
export const runRecordSchema = runSummarySchema
  .extend({
    output: z.unknown().optional().openapi({ description: "The run's output, once completed." }),
    error: z
      .object({ code: z.string(), message: z.string() })
      .optional()
      .openapi({ description: 'Why the run failed or was cancelled.' }),
  })
  .openapi('RunRecord');

/** `{ runId, status, links }`: where to find a run that is (or was) started. */
export const runAcceptedSchema = z
  .object({
    runId: z.string(),
    status: runStatusSchema,
    links: z.object({
      self: z.string().openapi({ example: '/v1/runs/0b6f...' }),
      events: z.string().openapi({ example: '/v1/runs/0b6f.../events' }),
    }),
  })
  .openapi('RunAccepted');

export const cancelAcceptedSchema = z
  .object({ runId: z.string(), status: z.literal('cancelling') })
  .openapi('CancelAccepted');

export const runPageSchema = z
  .object({
    runs: z.array(runSummarySchema),
    nextCursor: z
      .string()
      .optional()
      .openapi({ description: 'Pass as `cursor` for the next page; absent on the last.' }),
  })
  .openapi('RunPage');

/** One event of a run, as stored and streamed (`AgentEvent`): the base fields plus the type's payload. */
export const agentEventSchema = z
  .object({
    runId: z.string(),
    seq: z.number().int().min(0).openapi({ description: 'Starts at 0, contiguous within a run.' }),
    type: z.string().openapi({
      description:
        '`run.started`, `step.started`, `model.requested`, `model.text-delta`, `model.responded`, `tool.called`, `tool.succeeded`, `tool.failed`, `step.completed`, `run.completed`, `run.failed`, `run.cancelled`, ...',
      example: 'run.started',
    }),
    timestamp: z.number().int(),
    agent: z.string(),
    tenant: z.string().optional(),
  })
  .catchall(z.unknown())
  .openapi('AgentEvent');

function metadataProblem(value: Record<string, unknown>): string | undefined {
  if (Object.keys(value).length > METADATA_LIMITS.maxKeys) {
    return `metadata has more than ${METADATA_LIMITS.maxKeys} keys`;
  }
  // Walked iteratively so that deep nesting cannot overflow the stack before it is refused.
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof current !== 'object' || current === null) continue;
    if (depth > METADATA_LIMITS.maxDepth)
      return `metadata is nested deeper than ${METADATA_LIMITS.maxDepth} levels`;
    for (const child of Object.values(current)) stack.push({ value: child, depth: depth + 1 });
  }
  if (new TextEncoder().encode(JSON.stringify(value)).byteLength > METADATA_LIMITS.maxBytes) {
    return `metadata is larger than ${METADATA_LIMITS.maxBytes} bytes of JSON`;
  }
  return undefined;
}

/** Body of `POST /v1/agents/{agent}/runs`. */
export const startRunBodySchema = z
  .object({
    input: z
      .string()
      .min(1, { error: 'input is empty: send the text for the agent' })
      .max(MAX_INPUT_LENGTH, { error: `input is longer than ${MAX_INPUT_LENGTH} characters` })
      .openapi({ description: 'The user message for the agent.', example: 'What is the weather in Oslo?' }),
    conversationId: safeId('conversationId').optional().openapi({
      description: 'Continues the conversation with this id (the agent remembers its earlier turns).',
    }),
    metadata: z
      .record(z.string(), z.unknown())
      .superRefine((value, context) => {
        const problem = metadataProblem(value);
        if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .openapi({
        description: `Free-form data stored with the run's \`run.started\` event: at most ${METADATA_LIMITS.maxKeys} keys, ${METADATA_LIMITS.maxBytes} bytes of JSON, ${METADATA_LIMITS.maxDepth} levels deep.`,
      }),
    mode: z.enum(['wait', 'stream', 'async']).optional().openapi({
      description:
        'How to answer: `wait` (default) returns the finished run; `stream` streams its events (also chosen by `Accept: text/event-stream`); `async` returns 202 at once (also chosen by `Prefer: respond-async`). The body wins over the headers.',
    }),
  })
  .strict()
  .openapi('StartRunRequest');

export const startRunHeadersSchema = z.object({
  'Idempotency-Key': safeId('Idempotency-Key').optional().openapi({
    description:
      'Retries with the same key (same tenant and agent) return the run the first request started instead of starting another; the same key with a different body is a 422.',
    example: 'order-4711-summary',
  }),
  Prefer: z.string().max(1000).optional().openapi({ description: '`respond-async` selects `async` mode.' }),
});

export const agentParamsSchema = z.object({
  agent: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]{0,199}$/, {
      error: 'invalid agent name: letters, digits, "-" and "_", up to 200',
    })
    .openapi({ param: { name: 'agent', in: 'path' }, example: 'assistant' }),
});

export const runIdParamsSchema = z.object({
  id: safeId('run id').openapi({ param: { name: 'id', in: 'path' }, description: 'The run id.' }),
});

/** An instant as ISO 8601 (`2026-11-21T10:00:00Z`) or epoch milliseconds, turned into epoch ms. */
const instant = (name: string) =>
  z
    .string()
    .max(64)
    .transform((text, context) => {
      const value = /^\d{1,16}$/.test(text)
        ? Number(text)
        : /^\d{4}-\d{2}-\d{2}/.test(text)
          ? Date.parse(text)
          : Number.NaN;
      if (!Number.isFinite(value)) {
        context.addIssue({
          code: 'custom',
          message: `${name} is not a time: use ISO 8601 (2026-11-21T10:00:00Z) or epoch milliseconds`,
        });
        return z.NEVER;
      }
      return value;
    })
    .optional()
    .openapi({
      param: { name, in: 'query' },
      type: 'string',
      description: 'ISO 8601 (`2026-11-21T10:00:00Z`) or epoch milliseconds.',
      example: '2026-11-21T10:00:00Z',
    });

/** A non-negative integer query parameter in `[min, max]`, sent as decimal text. */
export const integerParam = (name: string, min: number, max: number, description: string) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { error: `${name} must be an integer from ${min} to ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { error: `${name} must be at least ${min}` })
        .max(max, { error: `${name} must be at most ${max}` }),
    )
    .optional()
    .openapi({ param: { name, in: 'query' }, type: 'integer', minimum: min, maximum: max, description });

export const listRunsQuerySchema = z.object({
  agent: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { name: 'agent', in: 'query' } }),
  status: runStatusSchema.optional().openapi({ param: { name: 'status', in: 'query' } }),
  startedAfter: instant('startedAfter'),
  startedBefore: instant('startedBefore'),
  limit: integerParam('limit', 1, 500, 'Page size. Default 50.'),
  cursor: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .openapi({
      param: { name: 'cursor', in: 'query' },
      description: 'The `nextCursor` of the previous page.',
    }),
});

export const runEventsQuerySchema = z.object({
  after: z
    .string()
    .regex(/^-?\d{1,15}$/, { error: 'after must be an event seq (an integer, -1 for from the start)' })
    .transform(Number)
    .pipe(z.number().int().min(-1, { error: 'after must be -1 or more' }))
    .optional()
    .openapi({
      param: { name: 'after', in: 'query' },
      type: 'integer',
      minimum: -1,
      description:
        'Resume after this seq. The `Last-Event-ID` header, when sent, wins (EventSource sends it on reconnect).',
    }),
  limit: integerParam(
    'limit',
    1,
    10_000,
    'JSON only: most events returned. Default 1000; page on with `after`.',
  ),
});

export const runEventsHeadersSchema = z.object({
  'Last-Event-ID': z
    .string()
    .regex(/^-?\d{1,15}$/, { error: 'Last-Event-ID must be the seq of an event (an integer)' })
    .optional()
    .openapi({ description: 'Resume exactly after this seq.' }),
});
