import pg from 'pg';
import type { LabConfig } from '../config/lab-config.ts';
import { postgresUrl } from '../topology/lab-addresses.ts';
import { teamSecret } from './team-secrets.ts';

/** How a trainee's psql reaches its team's shop database, read-only. */
export interface DatabaseCredentials {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

/**
 * The read-only role of a team on its shop database. Lane X1 (h/i12-guard) builds Postgres
 * passwords and read-only roles for the whole lab; until that merges, this file makes the role
 * itself (and should then call X1's function instead). Direct to Postgres, not through Toxiproxy:
 * a trainee's psql looks at the store, and a network fault should not blind it.
 */
export function shopReadOnlyCredentials(stateDir: string, shopAdminUrl: string, team: string): DatabaseCredentials {
  const admin = new URL(shopAdminUrl);
  return {
    host: admin.hostname,
    port: Number(admin.port || 5432),
    database: decodeURIComponent(admin.pathname.slice(1)),
    user: `fd_${team.replaceAll('-', '_')}_readonly`,
    password: teamSecret(stateDir, team, 'postgres'),
  };
}

/** The lab's shop database as its superuser: where the read-only role is made. */
export const labShopAdminUrl = (config: LabConfig) => postgresUrl(config, 'shop');

/** Creates (or brings up to date) the team's read-only role: SELECT on the shop's tables, read-only transactions, a few connections. */
export async function ensureShopReadOnlyRole(stateDir: string, shopAdminUrl: string, team: string): Promise<DatabaseCredentials> {
  const credentials = shopReadOnlyCredentials(stateDir, shopAdminUrl, team);
  const client = new pg.Client({ connectionString: shopAdminUrl });
  await client.connect();
  try {
    const role = client.escapeIdentifier(credentials.user);
    const password = client.escapeLiteral(credentials.password);
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [credentials.user]);
    await client.query(
      exists.rowCount
        ? `ALTER ROLE ${role} LOGIN PASSWORD ${password} CONNECTION LIMIT 10`
        : `CREATE ROLE ${role} LOGIN PASSWORD ${password} NOSUPERUSER NOCREATEDB NOCREATEROLE CONNECTION LIMIT 10`,
    );
    // Even a table granted by mistake stays read-only: every transaction of the role is.
    await client.query(`ALTER ROLE ${role} SET default_transaction_read_only = on`);
    await client.query(`ALTER ROLE ${role} SET statement_timeout = '10s'`);
    await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(credentials.database)} TO ${role}`);
    const schemas = await client.query<{ nspname: string }>(
      "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
    );
    for (const { nspname } of schemas.rows) {
      const schema = client.escapeIdentifier(nspname);
      await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
      await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
      await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${role}`);
    }
    return credentials;
  } finally {
    await client.end();
  }
}
