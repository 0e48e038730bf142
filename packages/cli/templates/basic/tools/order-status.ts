import { defineTool } from '@agent/core';
import { z } from 'zod';

// A stand-in for your own system: replace the table with a call to your database or API.
const ORDERS: Record<string, { status: 'processing' | 'shipped' | 'delivered'; eta?: string }> = {
  'A-1001': { status: 'shipped', eta: '2026-12-01' },
  'A-1002': { status: 'processing' },
  'A-1003': { status: 'delivered' },
};

/** Looks up an order. The model sees the name, the description and the input schema. */
export const orderStatus = defineTool({
  name: 'order_status',
  description: 'Looks up the status of an order by its id (like A-1001).',
  version: '1.0.0',
  input: z.object({
    orderId: z
      .string()
      .regex(/^[A-Z]-\d{4}$/, 'an order id looks like A-1001')
      .describe('The order id, e.g. A-1001'),
  }),
  output: z.object({
    orderId: z.string(),
    status: z.enum(['processing', 'shipped', 'delivered']),
    eta: z.string().optional(),
  }),
  execute: ({ orderId }) => {
    const order = ORDERS[orderId];
    // A thrown error goes back to the model as a tool error, so it can tell the user.
    if (order === undefined) throw new Error(`No order ${orderId}: ask the user to check the id.`);
    return { orderId, ...order };
  },
});
