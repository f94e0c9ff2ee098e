import pg from 'pg';
import type { LabConfig } from '../config/lab-config.ts';
import { createDatabases } from './create-databases.ts';
import { labDatabases, postgresUrl } from './lab-addresses.ts';
import { allShopAccounts, storePassword, teamDatabase } from './shop-accounts.ts';
import { ensureShopRoles } from './shop-roles.ts';

/**
 * What `lab up` does each time Postgres becomes healthy: the lab's databases and each team's,
 * then each shop's own role and read-only role (docs/decisions/0016). The lab's own processes
 * (chaos, training's levers, the exporter) stay on the superuser.
 */
export async function prepareLabDatabases(config: Pick<LabConfig, 'stateDir' | 'ports' | 'teams' | 'queuePrefix'>): Promise<void> {
  const databases = [...labDatabases, ...config.teams.map(teamDatabase)];
  await createDatabases(postgresUrl(config, 'postgres'), databases);
  const login = (role: string) => ({ role, password: storePassword(config, 'postgres', role) });
  const shops = allShopAccounts(config).map((shop) => ({ database: shop.database, owner: login(shop.owner), readonly: login(shop.readonly) }));
  await ensureShopRoles((database) => postgresUrl(config, database), databases, shops);
  await dropEarlierReadonlyRoles(postgresUrl(config, 'shop'));
}

/**
 * The SSH box's first read-only roles (`fd_<team>_readonly`, SELECT on the one `shop` database)
 * were a second mechanism beside the shops' own; an older lab's cluster still has them, so they go
 * (their grants first, in `shop`, where they were made). Their trainees get the new accounts' settings
 * when they are added again.
 */
async function dropEarlierReadonlyRoles(shopAdminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: shopAdminUrl, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ role: string }>("SELECT quote_ident(rolname) AS role FROM pg_roles WHERE rolname ~ '^fd_[a-z0-9_]+_readonly$'");
    for (const { role } of rows) await client.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
  } finally {
    await client.end();
  }
}
