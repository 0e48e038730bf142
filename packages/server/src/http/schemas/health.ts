import { z } from '@hono/zod-openapi';

export const healthSchema = z.object({ status: z.literal('ok') }).openapi('Health');

const checksSchema = z
  .record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() }))
  .openapi({ description: 'Each check by name: config, store, redis, draining, ...' });

export const readySchema = z.object({ status: z.literal('ready'), checks: checksSchema }).openapi('Ready');
export const notReadySchema = z
  .object({ status: z.literal('not-ready'), checks: checksSchema })
  .openapi('NotReady');
