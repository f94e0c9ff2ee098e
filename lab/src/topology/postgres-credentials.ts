import path from 'node:path';
import { ensureTokenFile } from '@firedrill/kit';
import type { LabConfig } from '../config/lab-config.ts';
import { storePassword, type ShopAccounts } from './shop-accounts.ts';

/**
 * The native lab's Postgres passwords, generated at the first `lab up`, mode 0600 in the state
 * dir's secrets (base64url, so they go into a URL unescaped). Trainees, who cannot read the
 * secrets, have no way in as the superuser or as a shop's own role; they get the read-only role's.
 */
export function postgresPasswordFile(config: Pick<LabConfig, 'stateDir'>): string {
  return path.join(config.stateDir, 'secrets', 'postgres-password');
}

/** The superuser `postgres`'s password (generated on first use). */
export function postgresPassword(config: Pick<LabConfig, 'stateDir'>): string {
  return ensureTokenFile(postgresPasswordFile(config));
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
 * The shop's read-only role's connection settings, straight to Postgres like an engineer's psql
 * on the box, not through Toxiproxy (a network fault should not blind it). Generates its password
 * on first use; the role itself is made when Postgres is healthy (shop-roles.ts).
 */
export function readonlyConnection(config: Pick<LabConfig, 'stateDir' | 'ports'>, shop: Pick<ShopAccounts, 'database' | 'readonly'>): ReadonlyConnection {
  const user = shop.readonly;
  const password = storePassword(config, 'postgres', user);
  const host = '127.0.0.1';
  const port = config.ports.postgres;
  const { database } = shop;
  return { host, port, database, user, password, url: `postgres://${user}:${password}@${host}:${port}/${database}` };
}
