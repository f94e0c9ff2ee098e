import path from 'node:path';
import { ensureTokenFile } from '@firedrill/kit';
import type { LabConfig } from '../config/lab-config.ts';

/**
 * The native lab's Postgres passwords, generated at the first `lab up`, mode 0600 in the state
 * dir's secrets (base64url, so they go into a URL unescaped). Trainees, who cannot read the
 * secrets, have no way in as the superuser; lane S hands them a read-only role's settings.
 */
export function postgresPasswordFile(config: Pick<LabConfig, 'stateDir'>): string {
  return path.join(config.stateDir, 'secrets', 'postgres-password');
}

/** The superuser `postgres`'s password (generated on first use). */
export function postgresPassword(config: Pick<LabConfig, 'stateDir'>): string {
  return ensureTokenFile(postgresPasswordFile(config));
}

/** The read-only role of a shop database: `<database>_readonly` (shop_readonly). */
export function readonlyRoleName(database: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`invalid database name ${database}`);
  return `${database}_readonly`;
}

export function readonlyPasswordFile(config: Pick<LabConfig, 'stateDir'>, database: string): string {
  return path.join(config.stateDir, 'secrets', `postgres-${readonlyRoleName(database)}-password`);
}

/** What a psql needs to read a shop database and change nothing (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD). */
export interface ReadonlyConnection {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** The same as a URL, password included: hand it over, never log it. */
  url: string;
}

/**
 * The read-only role's connection settings for a shop database (default: the shop's), straight
 * to Postgres like an engineer's psql on the box, not through Toxiproxy. Generates its password
 * on first use; the role itself is created when Postgres is healthy (readonly-roles.ts).
 */
export function readonlyConnection(config: Pick<LabConfig, 'stateDir' | 'ports'>, database = 'shop'): ReadonlyConnection {
  const user = readonlyRoleName(database);
  const password = ensureTokenFile(readonlyPasswordFile(config, database));
  const host = '127.0.0.1';
  const port = config.ports.postgres;
  return { host, port, database, user, password, url: `postgres://${user}:${password}@${host}:${port}/${database}` };
}
