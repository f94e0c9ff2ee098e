import pg from 'pg';

/**
 * Ends every client session on the shop's database (pg_terminate_backend), the runbook's lever for
 * a pool that leaks or holds connections idle in transaction: the services reconnect with fresh
 * sessions. Connects directly as the lab's superuser, never through Toxiproxy, and leaves other
 * databases (the lab's own, the exporters') alone.
 */
export async function endShopSessions(shopAdminUrl: string): Promise<{ ended: number }> {
  const client = new pg.Client({ connectionString: shopAdminUrl, connectionTimeoutMillis: 3_000, query_timeout: 10_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ ended: string }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS ended
         FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    return { ended: Number(rows[0]?.ended ?? 0) };
  } finally {
    await client.end().catch(() => {});
  }
}
