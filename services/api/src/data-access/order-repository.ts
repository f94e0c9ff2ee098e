import { captureTraceContext, preparedStatement, type Pool, type PoolClient, type TraceCarrier } from '@firedrill/kit';
import type { OutboxKind } from './outbox-repository.ts';

const fulfilOrder: OutboxKind = 'fulfil-order';

/** A pool, or one connection inside a transaction (the reconciler records under its row lock). */
type Queryable = Pool | PoolClient;

export type OrderStatus = 'pending' | 'paid' | 'payment_failed' | 'fulfilled';

export interface OrderItem {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Order {
  id: string;
  idempotencyKey: string;
  requestHash: string;
  status: OrderStatus;
  customerEmail: string;
  items: OrderItem[];
  totalCents: number;
  currency: string;
  paymentReason: string | null;
  chargeId: string | null;
  createdAt: Date;
  paidAt: Date | null;
  fulfilledAt: Date | null;
}

export interface NewOrder {
  id: string;
  idempotencyKey: string;
  requestHash: string;
  customerEmail: string;
  items: OrderItem[];
  totalCents: number;
  currency: string;
}

interface OrderRow {
  id: string;
  idempotency_key: string;
  request_hash: string;
  status: OrderStatus;
  customer_email: string;
  total_cents: number;
  currency: string;
  payment_reason: string | null;
  charge_id: string | null;
  created_at: Date;
  paid_at: Date | null;
  fulfilled_at: Date | null;
  items: { productId: string; quantity: number; unitPriceCents: number }[];
}

// Items come back in the same query, as JSON, so an order is always read whole.
const selectOrder = `
  SELECT o.id, o.idempotency_key, o.request_hash, o.status, o.customer_email, o.total_cents, o.currency,
         o.payment_reason, o.charge_id, o.created_at, o.paid_at, o.fulfilled_at,
         COALESCE((SELECT json_agg(json_build_object('productId', i.product_id, 'quantity', i.quantity,
                                                     'unitPriceCents', i.unit_price_cents) ORDER BY i.product_id)
                   FROM shop.order_items i WHERE i.order_id = o.id), '[]') AS items
  FROM shop.orders o`;
const selectOrderById = preparedStatement('orders.by-id', `${selectOrder} WHERE o.id = $1`);
const selectOrderByKey = preparedStatement('orders.by-idempotency-key', `${selectOrder} WHERE o.idempotency_key = $1`);

const toOrder = (row: OrderRow): Order => ({
  id: row.id,
  idempotencyKey: row.idempotency_key,
  requestHash: row.request_hash,
  status: row.status,
  customerEmail: row.customer_email,
  items: row.items,
  totalCents: row.total_cents,
  currency: row.currency,
  paymentReason: row.payment_reason,
  chargeId: row.charge_id,
  createdAt: row.created_at,
  paidAt: row.paid_at,
  fulfilledAt: row.fulfilled_at,
});

export async function findOrder(pool: Pool, id: string): Promise<Order | undefined> {
  const { rows } = await pool.query<OrderRow>(selectOrderById([id]));
  return rows[0] && toOrder(rows[0]);
}

export async function findOrderByIdempotencyKey(pool: Pool, key: string): Promise<Order | undefined> {
  const { rows } = await pool.query<OrderRow>(selectOrderByKey([key]));
  return rows[0] && toOrder(rows[0]);
}

const insertPendingOrderSql = preparedStatement(
  'orders.insert-pending',
  `WITH new_order AS (
     INSERT INTO shop.orders (id, idempotency_key, request_hash, customer_email, status, total_cents, currency)
     VALUES ($1, $2, $3, $4, 'pending', $5, $6)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id, created_at
   ), new_items AS (
     INSERT INTO shop.order_items (order_id, product_id, quantity, unit_price_cents)
     SELECT new_order.id, item.* FROM new_order, unnest($7::text[], $8::int[], $9::int[]) AS item
   )
   SELECT created_at FROM new_order`,
);

/**
 * Inserts a pending order with its items — one statement, so one round trip and atomic without
 * an explicit transaction. Returns undefined when another request with the same idempotency key
 * got there first (the unique constraint decides the race).
 */
export async function insertPendingOrder(pool: Pool, order: NewOrder): Promise<Order | undefined> {
  const { rows } = await pool.query<{ created_at: Date }>(
    insertPendingOrderSql([
      order.id,
      order.idempotencyKey,
      order.requestHash,
      order.customerEmail,
      order.totalCents,
      order.currency,
      order.items.map((i) => i.productId),
      order.items.map((i) => i.quantity),
      order.items.map((i) => i.unitPriceCents),
    ]),
  );
  if (!rows[0]) return undefined;
  return {
    ...order,
    // The same order as reads return them (selectOrder sorts by product).
    items: [...order.items].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0)),
    status: 'pending',
    paymentReason: null,
    chargeId: null,
    createdAt: rows[0].created_at,
    paidAt: null,
    fulfilledAt: null,
  };
}

const markPaidSql = preparedStatement(
  'orders.mark-paid',
  `WITH paid AS (
     UPDATE shop.orders SET status = 'paid', paid_at = now(), charge_id = $2, updated_at = now()
     WHERE id = $1 AND status = 'pending'
     RETURNING id, paid_at
   ), message AS (
     INSERT INTO shop.outbox (order_id, kind, trace_context) SELECT id, $3, $4::jsonb FROM paid
   )
   SELECT paid_at FROM paid`,
);

/**
 * Marks a pending order paid and, in the same statement, writes the outbox message that asks for
 * its fulfilment: a paid order can never be left without one, whatever Redis is doing.
 * The message keeps the trace context of the paying request (by default the one running now), so
 * the fulfilment, dispatched later, continues the checkout's trace.
 * Returns when it was paid, or undefined when the order was no longer pending (a resumed charge
 * that another request already recorded): then nothing changes.
 */
export async function markOrderPaid(
  pool: Queryable,
  orderId: string,
  chargeId: string,
  traceContext: TraceCarrier = captureTraceContext(),
): Promise<Date | undefined> {
  const { rows } = await pool.query<{ paid_at: Date }>(
    markPaidSql([orderId, chargeId, fulfilOrder, Object.keys(traceContext).length > 0 ? JSON.stringify(traceContext) : null]),
  );
  return rows[0]?.paid_at;
}

const markPaymentFailedSql = preparedStatement(
  'orders.mark-payment-failed',
  `UPDATE shop.orders SET status = 'payment_failed', payment_reason = $2, charge_id = $3, updated_at = now()
   WHERE id = $1 AND status = 'pending'`,
);

/** Records a declined charge; returns false when the order was no longer pending. */
export async function markPaymentFailed(pool: Queryable, orderId: string, reason: string, chargeId: string | null): Promise<boolean> {
  const result = await pool.query(markPaymentFailedSql([orderId, reason, chargeId]));
  return result.rowCount === 1;
}

const claimChargeAttemptSql = preparedStatement(
  'orders.claim-charge-attempt',
  `UPDATE shop.orders SET charge_started_at = now(), updated_at = now() WHERE id = $1 AND status = 'pending' RETURNING id`,
);

/**
 * Records that a charge attempt of a pending order begins now (a client's retry resuming it).
 * It waits while the reconciler holds the order, and returns false when the order is no longer
 * pending — then the caller must not charge, and answers what was recorded instead.
 */
export async function claimChargeAttempt(pool: Pool, orderId: string): Promise<boolean> {
  const result = await pool.query(claimChargeAttemptSql([orderId]));
  return result.rowCount === 1;
}

/** What the reconciler needs of a pending order. */
export interface OverdueOrder {
  id: string;
  totalCents: number;
  currency: string;
  chargeStartedAt: Date;
}

const lockOverdueSql = preparedStatement(
  'orders.lock-overdue-pending',
  `SELECT id, total_cents, currency, charge_started_at FROM shop.orders
   WHERE status = 'pending' AND charge_started_at < now() - make_interval(secs => $1 / 1000.0)
     AND NOT (id = ANY($2::uuid[]))
   ORDER BY charge_started_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
);

/**
 * Locks, for the caller's transaction, the oldest order left pending for longer than `graceMs`
 * since its last charge attempt, leaving out `skip` (orders this pass already looked at).
 * SKIP LOCKED lets several api instances reconcile side by side, each order with one of them; the
 * lock also makes a client's retry of that order wait (claimChargeAttempt) until it is decided.
 */
export async function lockOverduePendingOrder(client: PoolClient, graceMs: number, skip: readonly string[]): Promise<OverdueOrder | undefined> {
  const { rows } = await client.query<{ id: string; total_cents: number; currency: string; charge_started_at: Date }>(lockOverdueSql([graceMs, skip]));
  const row = rows[0];
  return row && { id: row.id, totalCents: row.total_cents, currency: row.currency, chargeStartedAt: row.charge_started_at };
}
