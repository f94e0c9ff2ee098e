import { randomUUID } from 'node:crypto';
import { IdempotencyKeyReusedError, type Logger, type Pool } from '@firedrill/kit';
import { PaymentsUnavailableError, type ChargeResult, type PaymentsClient } from '../clients/payments-client.ts';
import type { Catalogue, Product } from '../data-access/product-repository.ts';
import {
  claimChargeAttempt,
  findOrder,
  findOrderByIdempotencyKey,
  insertPendingOrder,
  markOrderPaid,
  markPaymentFailed,
  type Order,
  type OrderItem,
} from '../data-access/order-repository.ts';
import type { ApiMetrics } from '../metrics.ts';
import { MixedCurrenciesError, OrderPaymentPendingError, UnknownProductsError } from './order-errors.ts';
import { hashOrderRequest, type OrderRequest } from './order-request.ts';

export interface PlaceOrderDeps {
  pool: Pool;
  /** Current prices (briefly cached). */
  catalogue: Catalogue;
  payments: PaymentsClient;
  metrics: ApiMetrics;
  logger: Logger;
  /** Asks the outbox relay to dispatch now rather than at its next tick. */
  onOrderPaid: () => void;
}

/**
 * The order as it now stands — paid (or further along) or payment_failed (declined) — and whether
 * this is the stored answer to an earlier request with the same key. Refusals are thrown as
 * domain errors (order-errors.ts, and the kit's idempotency errors).
 */
export type PlaceOrderOutcome = { order: Order; replayed: boolean };

/**
 * Places an order exactly once per idempotency key:
 * 1. the order is priced from the catalogue and stored `pending` — unless the key was seen
 *    before, in which case that order is replayed (or its charge resumed if it never got an
 *    answer). Inserting first and reading only on a conflict saves a round trip per checkout;
 * 3. it is charged with the key `order-<id>`, so no retry — ours or the client's — charges twice;
 * 4. the answer is recorded: `paid` with its fulfilment request (outbox), or `payment_failed`.
 */
export async function placeOrder(request: OrderRequest, idempotencyKey: string, deps: PlaceOrderDeps): Promise<PlaceOrderOutcome> {
  const requestHash = hashOrderRequest(request);

  const priced = await priceItems(request, await deps.catalogue());
  const order = await insertPendingOrder(deps.pool, {
    id: randomUUID(),
    idempotencyKey,
    requestHash,
    customerEmail: request.customer.email,
    ...priced,
  });
  if (!order) {
    // A concurrent request with the same key inserted first: continue as its retry.
    const winner = await findOrderByIdempotencyKey(deps.pool, idempotencyKey);
    if (!winner) throw new Error(`order with idempotency key ${idempotencyKey} vanished`);
    return resumeOrReplay(winner, requestHash, deps);
  }
  return chargeAndRecord(order, deps);
}

/** The decision for a key seen before. Exported for unit tests: it is the heart of idempotency. */
export function decideForPrevious(previous: Order, requestHash: string): 'reject_reused_key' | 'resume_charge' | 'replay' {
  if (previous.requestHash !== requestHash) return 'reject_reused_key';
  if (previous.status === 'pending') return 'resume_charge';
  return 'replay';
}

async function resumeOrReplay(previous: Order, requestHash: string, deps: PlaceOrderDeps): Promise<PlaceOrderOutcome> {
  switch (decideForPrevious(previous, requestHash)) {
    case 'reject_reused_key':
      throw new IdempotencyKeyReusedError('This Idempotency-Key was already used for a different order', { orderId: previous.id });
    case 'resume_charge': {
      // Claimed first: the reconciler may be deciding this order from the charge's final state,
      // and a charge resumed behind its back could take money for an order it marks failed.
      if (!(await claimChargeAttempt(deps.pool, previous.id))) {
        const decided = await findOrder(deps.pool, previous.id);
        if (!decided) throw new Error(`order ${previous.id} vanished while its charge was resumed`);
        return { order: decided, replayed: true };
      }
      deps.logger.info({ orderId: previous.id }, 'resuming the charge of a pending order');
      return chargeAndRecord(previous, deps);
    }
    case 'replay':
      return { order: previous, replayed: true };
  }
}

function priceItems(request: OrderRequest, catalogue: Map<string, Product>): { items: OrderItem[]; totalCents: number; currency: string } {
  const unknown = request.items.flatMap((item, index) => (catalogue.has(item.productId) ? [] : [{ index, productId: item.productId }]));
  if (unknown.length > 0) throw new UnknownProductsError(unknown);
  const items = request.items.map((i) => ({ productId: i.productId, quantity: i.quantity, unitPriceCents: catalogue.get(i.productId)!.priceCents }));
  const currencies = new Set(request.items.map((i) => catalogue.get(i.productId)!.currency));
  if (currencies.size > 1) throw new MixedCurrenciesError([...currencies]);
  const totalCents = items.reduce((sum, i) => sum + i.unitPriceCents * i.quantity, 0);
  return { items, totalCents, currency: [...currencies][0]! };
}

async function chargeAndRecord(order: Order, deps: PlaceOrderDeps): Promise<PlaceOrderOutcome> {
  let result: ChargeResult;
  try {
    result = await deps.payments.charge(
      { orderId: order.id, amountCents: order.totalCents, currency: order.currency, customer: { email: order.customerEmail } },
      `order-${order.id}`,
    );
  } catch (err) {
    if (!(err instanceof PaymentsUnavailableError)) throw err;
    // The order stays pending; the client's retry with the same key resumes this very charge.
    deps.metrics.ordersTotal.inc({ status: 'pending' });
    deps.logger.warn({ orderId: order.id, err: err.message }, 'payments unavailable; order left pending');
    throw new OrderPaymentPendingError(order.id, { cause: err });
  }

  if (result.status === 'approved') {
    const paidAt = await markOrderPaid(deps.pool, order.id, result.chargeId);
    if (paidAt) {
      deps.metrics.ordersTotal.inc({ status: 'paid' });
      deps.metrics.orderValueCents.inc({ currency: order.currency }, order.totalCents);
      deps.onOrderPaid();
      return { order: { ...order, status: 'paid', paidAt, chargeId: result.chargeId }, replayed: false };
    }
  } else if (await markPaymentFailed(deps.pool, order.id, result.reason, result.chargeId)) {
    deps.metrics.ordersTotal.inc({ status: 'payment_failed' });
    return { order: { ...order, status: 'payment_failed', paymentReason: result.reason, chargeId: result.chargeId }, replayed: false };
  }
  // Another request for the same key recorded the outcome first (a concurrent resume): answer what it recorded.
  const recorded = await findOrder(deps.pool, order.id);
  if (!recorded) throw new Error(`order ${order.id} vanished after its charge`);
  return { order: recorded, replayed: false };
}
