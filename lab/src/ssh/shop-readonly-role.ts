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
export function shopReadOnlyCredentials(config: LabConfig, team: string): DatabaseCredentials {
  return {
    host: '127.0.0.1',
    port: config.ports.postgres,
    database: 'shop',
    user: `fd_${team.replaceAll('-', '_')}_readonly`,
    password: teamSecret(config.stateDir, team, 'postgres'),
  };
}

/** Creates (or brings up to date) the team's read-only role: SELECT on the shop's tables, read-only transactions, a few connections. */
export async function ensureShopReadOnlyRole(config: LabConfig, team: string): Promise<DatabaseCredentials> {
  const credentials = shopReadOnlyCredentials(config, team);
  const client = new pg.Client({ connectionString: postgresUrl(config, credentials.database) });
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
