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
}
