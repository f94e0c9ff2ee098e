import { z } from 'zod';
import type { Order } from '../data-access/order-repository.ts';

/** The one JSON shape of an order, for every endpoint that returns one (and for the OpenAPI document). */
export const orderRepresentationSchema = z.object({
  id: z.uuid(),
  status: z.enum(['pending', 'paid', 'payment_failed', 'fulfilled']),
  items: z.array(z.object({ productId: z.string(), quantity: z.number().int(), unitPriceCents: z.number().int() })),
  totalCents: z.number().int(),
  currency: z.string(),
  customer: z.object({ email: z.string() }),
  createdAt: z.iso.datetime(),
  paidAt: z.iso.datetime().nullable(),
  fulfilledAt: z.iso.datetime().nullable(),
  /** Why the card was declined; only on a payment_failed order. */
  reason: z.string().nullable().optional(),
});

export function orderRepresentation(order: Order): z.output<typeof orderRepresentationSchema> {
  return {
    id: order.id,
    status: order.status,
    items: order.items,
    totalCents: order.totalCents,
    currency: order.currency,
    customer: { email: order.customerEmail },
    createdAt: order.createdAt.toISOString(),
    paidAt: order.paidAt?.toISOString() ?? null,
    fulfilledAt: order.fulfilledAt?.toISOString() ?? null,
    ...(order.status === 'payment_failed' && { reason: order.paymentReason }),
  };
}
