import type { Order } from '../data-access/order-repository.ts';

/** The one JSON shape of an order, for every endpoint that returns one. */
export function orderRepresentation(order: Order) {
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
