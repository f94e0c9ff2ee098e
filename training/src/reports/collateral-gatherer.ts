import type { CollateralMeasure, NeedlessLever } from '../grading/collateral.ts';

/** Runs one query on the shop's database (the training process's shop pool). */
export type ShopQuery = (sql: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/**
 * What each needless lever broke, from the shop's own data: orders whose payment failed in the
 * lever's window (shop.orders) beyond those that failed in the same length of time just before
 * it — during a fault the shop already fails some orders, and those are the fault's, not the
 * lever's. An unreadable database makes a measure null (unknown), never a zero that would pass for
 * "broke nothing".
 */
export async function measureCollateral(levers: readonly NeedlessLever[], windowMs: number, query: ShopQuery | undefined): Promise<CollateralMeasure[]> {
  return Promise.all(
    levers.map(async (lever) => {
      if (!query) return { eventId: lever.eventId, ordersFailed: null };
      try {
        const { rows } = await query(
          `SELECT count(*) FILTER (WHERE created_at >= $2)::int AS after, count(*) FILTER (WHERE created_at < $2)::int AS before
             FROM shop.orders
            WHERE status = 'payment_failed' AND created_at >= $1 AND created_at < $3`,
          [new Date(lever.atMs - windowMs), new Date(lever.atMs), new Date(lever.atMs + windowMs)],
        );
        const after = Number(rows[0]?.after ?? 0);
        const before = Number(rows[0]?.before ?? 0);
        return { eventId: lever.eventId, ordersFailed: Math.max(0, after - before) };
      } catch {
        return { eventId: lever.eventId, ordersFailed: null };
      }
    }),
  );
}
