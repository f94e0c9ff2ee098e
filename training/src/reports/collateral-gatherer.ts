import type { CollateralMeasure, NeedlessLever } from '../grading/collateral.ts';

/** Runs one query on the shop's database (the training process's shop pool). */
export type ShopQuery = (sql: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/**
 * What each needless lever broke, from the shop's own data: orders whose payment failed in the
 * lever's window (shop.orders). An unreadable database makes a measure null (unknown), never a
 * zero that would pass for "broke nothing".
 */
export async function measureCollateral(levers: readonly NeedlessLever[], windowMs: number, query: ShopQuery | undefined): Promise<CollateralMeasure[]> {
  return Promise.all(
    levers.map(async (lever) => {
      if (!query) return { eventId: lever.eventId, ordersFailed: null };
      try {
        const { rows } = await query(
          `SELECT count(*)::int AS failed FROM shop.orders
            WHERE status = 'payment_failed' AND created_at >= $1 AND created_at < $2`,
          [new Date(lever.atMs), new Date(lever.atMs + windowMs)],
        );
        return { eventId: lever.eventId, ordersFailed: Number(rows[0]?.failed ?? 0) };
      } catch {
        return { eventId: lever.eventId, ordersFailed: null };
      }
    }),
  );
}
