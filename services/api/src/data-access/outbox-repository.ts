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

// Claimed and marked in one statement: the caller's transaction holds the rows until the queue
// has taken them, and rolls the mark back if the process dies first, so none is lost (0002).
const claimUndispatchedSql = preparedStatement(
  'outbox.claim-undispatched',
  `UPDATE shop.outbox SET dispatched_at = now(), attempts = attempts + 1, last_error = NULL
   WHERE id IN (SELECT id FROM shop.outbox WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
   RETURNING id, order_id, kind, attempts, trace_context`,
);
const recordFailureSql = preparedStatement('outbox.record-failure', 'UPDATE shop.outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1');
const backlogSql = preparedStatement(
  'outbox.backlog',
  `SELECT count(*)::int AS count,
          COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest_age_seconds
   FROM shop.outbox WHERE dispatched_at IS NULL`,
);

/**
 * Marks the oldest undispatched messages dispatched, inside the caller's transaction, and returns
 * them oldest first: the caller hands them to the queue and commits, or rolls back when the queue
 * refuses. One statement instead of a read and a write: a round trip through Toxiproxy per
 * relay pass (docs/decisions/0003). SKIP LOCKED lets several api replicas relay side by side
 * without waiting on, or double-sending, each other's rows.
 */
export async function claimUndispatched(client: PoolClient, limit: number): Promise<OutboxMessage[]> {
  const { rows } = await client.query<{ id: string; order_id: string; kind: string; attempts: number; trace_context: unknown }>(claimUndispatchedSql([limit]));
  // UPDATE … RETURNING has no order of its own; ids are bigints (strings here), oldest first.
  rows.sort((a, b) => a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows.map((r) => ({ id: r.id, orderId: r.order_id, kind: r.kind, attempts: r.attempts, traceContext: r.trace_context }));
}

export async function recordDispatchFailure(pool: Pool, id: string, error: string): Promise<void> {
  await pool.query(recordFailureSql([id, error.slice(0, 1000)]));
}

export async function outboxBacklog(pool: Pool): Promise<{ count: number; oldestAgeSeconds: number }> {
  const { rows } = await pool.query<{ count: number; oldest_age_seconds: number }>(backlogSql());
  return { count: rows[0]?.count ?? 0, oldestAgeSeconds: rows[0]?.oldest_age_seconds ?? 0 };
}
