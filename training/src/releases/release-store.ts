import type pg from 'pg';
import type { ReleaseRecord, ShopService } from './release-history.ts';

interface ReleaseRow {
  id: string;
  at: Date;
  service: ShopService;
  action: 'deploy' | 'rollback';
  version: string;
  previous_version: string;
  actor: string;
  shop: string;
}

const toRecord = (row: ReleaseRow): ReleaseRecord => ({
  id: Number(row.id),
  at: row.at.toISOString(),
  service: row.service,
  action: row.action,
  version: row.version,
  previousVersion: row.previous_version,
  actor: row.actor,
  shop: row.shop,
});

/** Deploy history per shop and service (training.releases). */
export function createReleaseStore(pool: pg.Pool) {
  return {
    /** Newest first. */
    async list(options: { service?: ShopService | undefined; limit: number; shop: string }): Promise<ReleaseRecord[]> {
      const { rows } = await pool.query<ReleaseRow>(
        'SELECT * FROM training.releases WHERE shop = $3 AND ($1::text IS NULL OR service = $1) ORDER BY id DESC LIMIT $2',
        [options.service ?? null, options.limit, options.shop],
      );
      return rows.map(toRecord);
    },

    /** One service's whole history on one shop, oldest first: what its current version is computed from. */
    async history(service: ShopService, shop: string): Promise<ReleaseRecord[]> {
      const { rows } = await pool.query<ReleaseRow>('SELECT * FROM training.releases WHERE service = $1 AND shop = $2 ORDER BY id', [service, shop]);
      return rows.map(toRecord);
    },

    async record(release: Omit<ReleaseRecord, 'id' | 'at'>, client: Pick<pg.Pool, 'query'> = pool): Promise<ReleaseRecord> {
      const { rows } = await client.query<ReleaseRow>(
        'INSERT INTO training.releases (service, action, version, previous_version, actor, shop) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
        [release.service, release.action, release.version, release.previousVersion, release.actor, release.shop],
      );
      return toRecord(rows[0]!);
    },
  };
}

export type ReleaseStore = ReturnType<typeof createReleaseStore>;
