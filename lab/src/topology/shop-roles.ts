import pg from 'pg';
import { scramVerifier } from '@firedrill/lab-infra';
import { readonlyConnectionLimit } from './postgres-connections.ts';

/** A shop database's two logins: its services' role (owns it) and its trainees' read-only role. */
export interface ShopRoles {
  database: string;
  owner: { role: string; password: string };
  readonly: { role: string; password: string };
}

/**
 * Locks every lab database to those granted CONNECT (by default PUBLIC may connect to any), then
 * for each shop database:
 * - its own role (LOGIN, no other attribute) owns the database and everything in it: the shop's
 *   services connect as it and run their migrations. Objects an older lab's shop made as the
 *   superuser are handed over here, so no `lab reset` is needed;
 * - its read-only role logs in, may connect to that database only and reads every table there
 *   (pg_read_all_data: also tables the migrations create later) but writes and creates nothing.
 * Neither may connect to another shop's database, `lab` (faults journal, incidents, grades) or
 * `postgres`. Idempotent; run every time Postgres becomes healthy. Passwords reach the server as
 * SCRAM verifiers, never in clear. `adminUrl(database)`: that database as the superuser.
 */
export async function ensureShopRoles(adminUrl: (database: string) => string, databases: readonly string[], shops: readonly ShopRoles[]): Promise<void> {
  await asAdmin(adminUrl('postgres'), async (client) => {
    for (const name of [...databases, 'postgres']) await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${identifier(name)} FROM PUBLIC`);
    for (const { database, owner, readonly } of shops) {
      await ensureLogin(client, owner.role, owner.password, []);
      await client.query(`ALTER DATABASE ${identifier(database)} OWNER TO ${identifier(owner.role)}`);
      await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${identifier(database)} TO ${identifier(owner.role)}`);
      // Belt and braces: its sessions start read-only even where a privilege was granted by mistake.
      await ensureLogin(client, readonly.role, readonly.password, [`CONNECTION LIMIT ${readonlyConnectionLimit}`]);
      await client.query(`ALTER ROLE ${identifier(readonly.role)} SET default_transaction_read_only = on`);
      await client.query(`GRANT pg_read_all_data TO ${identifier(readonly.role)}`);
      await client.query(`GRANT CONNECT ON DATABASE ${identifier(database)} TO ${identifier(readonly.role)}`);
    }
  });
  for (const { database, owner } of shops) await asAdmin(adminUrl(database), (client) => handOver(client, owner.role));
}

async function ensureLogin(client: pg.Client, role: string, password: string, extra: string[]): Promise<void> {
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (exists.rowCount === 0) await client.query(`CREATE ROLE ${identifier(role)}`);
  // ALTER ROLE takes no bind parameters; the verifier is base64 and `$`/`:`, nothing to escape.
  await client.query(
    `ALTER ROLE ${identifier(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS ${extra.join(' ')} PASSWORD '${scramVerifier(password)}'`,
  );
}

/** Catalogue filter: the database's own schemas, not the system's. */
const ownSchemas = "n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'";

/**
 * Gives `role` the schemas, tables, views, sequences, routines and types in this database that
 * someone else owns (an older lab's shop ran as the superuser). Tables before sequences: a
 * column's sequence follows its table, and cannot be handed over on its own.
 */
async function handOver(client: pg.Client, role: string): Promise<void> {
  const to = `OWNER TO ${identifier(role)}`;
  const owned = async (sql: string) => (await client.query<{ name: string }>(sql, [role])).rows.map((r) => r.name);
  for (const name of await owned(`SELECT quote_ident(n.nspname) AS name FROM pg_namespace n WHERE ${ownSchemas} AND n.nspowner <> $1::regrole`)) {
    if (name !== 'public') await client.query(`ALTER SCHEMA ${name} ${to}`);
  }
  const relations = (kinds: string) =>
    owned(
      `SELECT c.oid::regclass::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${ownSchemas} AND c.relowner <> $1::regrole AND c.relkind IN (${kinds})`,
    );
  for (const name of await relations("'r','p','v','m','f'")) await client.query(`ALTER TABLE ${name} ${to}`);
  for (const name of await relations("'S'")) await client.query(`ALTER SEQUENCE ${name} ${to}`);
  for (const name of await owned(
    `SELECT p.oid::regprocedure::text AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${ownSchemas} AND p.proowner <> $1::regrole`,
  ))
    await client.query(`ALTER ROUTINE ${name} ${to}`);
  // Enums, domains, ranges, free-standing composites (a table's row type and arrays follow their owner).
  for (const name of await owned(
    `SELECT t.oid::regtype::text AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_class c ON c.oid = t.typrelid
      WHERE ${ownSchemas} AND t.typowner <> $1::regrole AND t.typelem = 0 AND (t.typrelid = 0 OR c.relkind = 'c') AND t.typtype IN ('e','d','r','c')`,
  ))
    await client.query(`ALTER TYPE ${name} ${to}`);
}

async function asAdmin(url: string, work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

function identifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid Postgres name ${name}`);
  return name;
}
