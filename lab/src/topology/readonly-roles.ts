import pg from 'pg';
import { scramVerifier } from '@firedrill/lab-infra';

/** A read-only login for one database: the role, its password and the database it may read. */
export interface ReadonlyRole {
  role: string;
  password: string;
  database: string;
}

/**
 * Locks every lab database to those granted CONNECT (by default PUBLIC may connect to any), then
 * creates or updates each read-only role: it logs in, may connect to its own database only and
 * reads every table there (pg_read_all_data: also tables the shop's migrations create later) but
 * writes nothing and creates nothing. Idempotent; run every time Postgres becomes healthy.
 * The password reaches the server as a SCRAM verifier, never in clear.
 */
export async function ensureReadonlyRoles(adminUrl: string, databases: readonly string[], roles: readonly ReadonlyRole[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    for (const name of [...databases, 'postgres']) await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${identifier(name)} FROM PUBLIC`);
    for (const { role, password, database } of roles) {
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (exists.rowCount === 0) await client.query(`CREATE ROLE ${identifier(role)}`);
      // ALTER ROLE takes no bind parameters; the verifier is base64 and `$`/`:`, nothing to escape.
      await client.query(
        `ALTER ROLE ${identifier(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 20 PASSWORD '${scramVerifier(password)}'`,
      );
      // Belt and braces: its sessions start read-only even where a privilege was granted by mistake.
      await client.query(`ALTER ROLE ${identifier(role)} SET default_transaction_read_only = on`);
      await client.query(`GRANT pg_read_all_data TO ${identifier(role)}`);
      await client.query(`GRANT CONNECT ON DATABASE ${identifier(database)} TO ${identifier(role)}`);
    }
  } finally {
    await client.end();
  }
}

function identifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid Postgres name ${name}`);
  return name;
}
