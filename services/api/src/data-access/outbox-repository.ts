import { preparedStatement, type Pool, type PoolClient } from '@firedrill/kit';

/** Kinds of outbox message; the relay maps each to its destination. */
export type OutboxKind = 'fulfil-order';

export interface OutboxMessage {
  id: string;
  orderId: string;
  kind: string;
  attempts: number;
  /** W3C trace context of the request that wrote the message (null when tracing was off). */
  traceContext: unknown;
}

const lockUndispatchedSql = preparedStatement(
  'outbox.lock-undispatched',
  `SELECT id, order_id, kind, attempts, trace_context FROM shop.outbox
   WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
);
const markDispatchedSql = preparedStatement(
  'outbox.mark-dispatched',
  'UPDATE shop.outbox SET dispatched_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::bigint[])',
);
const recordFailureSql = preparedStatement('outbox.record-failure', 'UPDATE shop.outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1');
const backlogSql = preparedStatement(
  'outbox.backlog',
  `SELECT count(*)::int AS count,
          COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest_age_seconds
   FROM shop.outbox WHERE dispatched_at IS NULL`,
);

/**
 * Locks the oldest undispatched messages for the caller's transaction. SKIP LOCKED lets several
 * api replicas relay side by side without waiting on, or double-sending, each other's rows.
 */
export async function lockUndispatched(client: PoolClient, limit: number): Promise<OutboxMessage[]> {
  const { rows } = await client.query<{ id: string; order_id: string; kind: string; attempts: number; trace_context: unknown }>(lockUndispatchedSql([limit]));
  return rows.map((r) => ({ id: r.id, orderId: r.order_id, kind: r.kind, attempts: r.attempts, traceContext: r.trace_context }));
}

/** One statement for the whole batch: under load the relay moves dozens of rows per pass. */
export async function markDispatched(client: PoolClient, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await client.query(markDispatchedSql([ids]));
}

export async function recordDispatchFailure(client: PoolClient, id: string, error: string): Promise<void> {
  await client.query(recordFailureSql([id, error.slice(0, 1000)]));
}

export async function outboxBacklog(pool: Pool): Promise<{ count: number; oldestAgeSeconds: number }> {
  const { rows } = await pool.query<{ count: number; oldest_age_seconds: number }>(backlogSql());
  return { count: rows[0]?.count ?? 0, oldestAgeSeconds: rows[0]?.oldest_age_seconds ?? 0 };
}
