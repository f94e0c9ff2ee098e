import type { LabConfig } from '../config/lab-config.ts';
import { postgresPassword } from './postgres-credentials.ts';
import { storePassword, type ShopAccounts } from './shop-accounts.ts';

/** Databases on the lab's Postgres: the shop's, and the lab's own (faults journal, incidents, grades). */
export const labDatabases = ['shop', 'lab'] as const;

export const httpUrl = (port: number) => `http://127.0.0.1:${port}`;

/** A database as the superuser, with its password: for the lab's own processes, never to print. */
export function postgresUrl(config: Pick<LabConfig, 'stateDir' | 'ports'>, database: string): string {
  return `postgres://postgres:${postgresPassword(config)}@127.0.0.1:${config.ports.postgres}/${database}`;
}

/** The same without the password: what `lab status` and `lab up` show. */
export function postgresDisplayUrl(config: LabConfig, database: string): string {
  return `postgres://postgres@127.0.0.1:${config.ports.postgres}/${database}`;
}

/**
 * A lab Redis server without a user: what `lab status` shows, and the address the lab hands on
 * (CLASS_SHOPS, the exporter's targets); clients add a user with redis-users.ts's URLs.
 */
export function redisAddress(port: number): string {
  return `redis://127.0.0.1:${port}`;
}

/**
 * The shop reaches Postgres and Redis only through Toxiproxy (its own listener, `postgresProxy`),
 * so network faults can act on that path; the lab itself (chaos journal, health checks, reset)
 * connects directly and is never blinded by them. The shop connects as its own role, which owns
 * its database and nothing else.
 */
export function shopDatabaseUrl(config: Pick<LabConfig, 'stateDir'>, shop: ShopAccounts, proxyPort: number): string {
  return `postgres://${shop.owner}:${storePassword(config, 'postgres', shop.owner)}@127.0.0.1:${proxyPort}/${shop.database}`;
}
