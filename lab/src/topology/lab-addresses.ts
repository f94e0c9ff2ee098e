import type { LabConfig } from '../config/lab-config.ts';
import { postgresPassword } from './postgres-credentials.ts';

/** Databases on the lab's Postgres: the shop's, and the lab's own (faults journal, incidents, grades). */
export const labDatabases = ['shop', 'lab'] as const;

export const httpUrl = (port: number) => `http://127.0.0.1:${port}`;

/** A database as the superuser, with its password: for the lab's own processes, never to print. */
export function postgresUrl(config: LabConfig, database: string): string {
  return `postgres://postgres:${postgresPassword(config)}@127.0.0.1:${config.ports.postgres}/${database}`;
}

/** The same without the password: what `lab status` and `lab up` show. */
export function postgresDisplayUrl(config: LabConfig, database: string): string {
  return `postgres://postgres@127.0.0.1:${config.ports.postgres}/${database}`;
}

export function redisUrl(config: LabConfig): string {
  return `redis://127.0.0.1:${config.ports.redis}`;
}

/**
 * The shop reaches Postgres and Redis only through Toxiproxy, so network faults can act on that
 * path; the lab itself (chaos journal, health checks, reset) connects directly and is never
 * blinded by them.
 */
export function shopDatabaseUrl(config: LabConfig): string {
  return `postgres://postgres:${postgresPassword(config)}@127.0.0.1:${config.ports.postgresProxy}/shop`;
}

export function shopRedisUrl(config: LabConfig): string {
  return `redis://127.0.0.1:${config.ports.redisProxy}`;
}
