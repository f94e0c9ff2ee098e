import { preparedStatement, type Pool } from '@firedrill/kit';

export type ChargeStatus = 'processing' | 'approved' | 'declined' | 'failed';

export interface Charge {
  id: string;
  idempotencyKey: string;
  requestHash: string;
  orderId: string;
  amountCents: number;
  currency: string;
  customerEmail: string;
  status: ChargeStatus;
  reason: string | null;
  gatewayMs: number | null;
  attempts: number;
  createdAt: Date;
  attemptedAt: Date;
  completedAt: Date | null;
}

export type NewCharge = Pick<Charge, 'id' | 'idempotencyKey' | 'requestHash' | 'orderId' | 'amountCents' | 'currency' | 'customerEmail'>;

interface ChargeRow {
  id: string;
  idempotency_key: string;
  request_hash: string;
  order_id: string;
  amount_cents: number;
  currency: string;
  customer_email: string;
  status: ChargeStatus;
  reason: string | null;
  gateway_ms: number | null;
  attempts: number;
  created_at: Date;
  attempted_at: Date;
  completed_at: Date | null;
}

const toCharge = (row: ChargeRow): Charge => ({
  id: row.id,
  idempotencyKey: row.idempotency_key,
  requestHash: row.request_hash,
  orderId: row.order_id,
  amountCents: row.amount_cents,
  currency: row.currency,
  customerEmail: row.customer_email,
  status: row.status,
  reason: row.reason,
  gatewayMs: row.gateway_ms,
  attempts: row.attempts,
  createdAt: row.created_at,
  attemptedAt: row.attempted_at,
  completedAt: row.completed_at,
});

// The statements of every charge: prepared, so each connection parses and plans them once.
const insertProcessingSql = preparedStatement(
  'charges.insert-processing',
  `INSERT INTO payments.charges (id, idempotency_key, request_hash, order_id, amount_cents, currency, customer_email, status)
   VALUES ($1, $2, $3, $4, $5, $6, $7, 'processing')
   ON CONFLICT (idempotency_key) DO NOTHING
   RETURNING *`,
);
const selectByKeySql = preparedStatement('charges.by-idempotency-key', 'SELECT * FROM payments.charges WHERE idempotency_key = $1');
const retakeSql = preparedStatement(
  'charges.retake',
  `UPDATE payments.charges
      SET status = 'processing', reason = NULL, gateway_ms = NULL, completed_at = NULL,
          attempts = attempts + 1, attempted_at = now()
    WHERE id = $1
      AND (status = 'failed' OR (status = 'processing' AND attempted_at < now() - make_interval(secs => $2 / 1000.0)))
    RETURNING *`,
);
const completeSql = preparedStatement(
  'charges.complete',
  `UPDATE payments.charges
      SET status = $2, reason = $3, gateway_ms = $4, completed_at = now()
    WHERE id = $1 AND status = 'processing'
    RETURNING *`,
);

/**
 * Claims the idempotency key by inserting a `processing` charge. Returns undefined when the key
 * is taken: of two concurrent requests exactly one insert wins, the other waits for it and then
 * does nothing — the database, not the application, decides who charges the card.
 */
export async function insertProcessingCharge(pool: Pool, charge: NewCharge): Promise<Charge | undefined> {
  const { rows } = await pool.query<ChargeRow>(
    insertProcessingSql([charge.id, charge.idempotencyKey, charge.requestHash, charge.orderId, charge.amountCents, charge.currency, charge.customerEmail]),
  );
  return rows[0] && toCharge(rows[0]);
}

export async function findChargeByIdempotencyKey(pool: Pool, idempotencyKey: string): Promise<Charge | undefined> {
  const { rows } = await pool.query<ChargeRow>(selectByKeySql([idempotencyKey]));
  return rows[0] && toCharge(rows[0]);
}

/**
 * Takes a charge back to `processing` for another gateway attempt: one that failed, or one left
 * `processing` longer than `abandonedAfterMs` (its process died mid-call). Conditional, so two
 * retries racing for the same charge cannot both win.
 */
export async function retakeCharge(pool: Pool, id: string, abandonedAfterMs: number): Promise<Charge | undefined> {
  const { rows } = await pool.query<ChargeRow>(retakeSql([id, abandonedAfterMs]));
  return rows[0] && toCharge(rows[0]);
}

/** Records the gateway's verdict on a charge this process holds in `processing`. */
export async function completeCharge(
  pool: Pool,
  id: string,
  result: { status: 'approved' | 'declined' | 'failed'; reason: string | null; gatewayMs: number },
): Promise<Charge> {
  const { rows } = await pool.query<ChargeRow>(completeSql([id, result.status, result.reason, Math.round(result.gatewayMs)]));
  if (!rows[0]) throw new Error(`charge ${id} was not processing when its gateway result arrived`);
  return toCharge(rows[0]);
}
