import { maxWorkers } from '@firedrill/lab-infra';

/**
 * How many connections the lab's one Postgres must take: what every shop of the class can open at
 * most, plus the shared planes, plus a margin (docs/decisions/0015, "Postgres connections"). A
 * connection is a backend process only while it is open; an unused slot costs ~33 KiB of shared
 * memory, so the budget follows the class instead of the pools shrinking (Lab 3's pool leak is
 * the api's 20 running out).
 */

/**
 * Each shop service's pool (DB_POOL_MAX): the services' own defaults (services/<service>/src/config.ts),
 * set by the lab on every shop process so that the budget below counts what they really open.
 */
export const shopPoolMax = { api: 20, payments: 20, worker: 10 } as const;

/** A shop's trainees' read-only role (psql from their shells): its CONNECTION LIMIT (shop-roles.ts). */
export const readonlyConnectionLimit = 20;

/**
 * Training's pools (training/src/server/start.ts): the lab database's, and one per shop for its
 * SQL probes, reports and PIRs.
 */
const trainingPool = { lab: 5, perShop: 2 };

/**
 * The shared planes' other connections: the chaos controller's pool (chaos/src/controller/start.ts,
 * 5), the Postgres exporter (1, 2 while a scrape overlaps), and the lab's short-lived ones (the
 * supervisor's health check, the roles and databases at each start, a lever ending a shop's
 * sessions, `lab reset`, a benchmark's reader), a few at a time.
 */
const sharedPlanes = 5 + 2 + 5;

/** What the single lab has always started with (and Compose's Postgres): a class never goes below it. */
export const baseMaxConnections = 200;

/** Postgres keeps these for the superuser (superuser_reserved_connections): the lab's own repairs still get in when the rest is full. */
const superuserReserved = 3;

/** The most one shop opens: its api's, payments' and every worker replica's pools (`lab scale worker 8`), its trainees' psql and training's probes. */
export function shopConnectionsAtMost(): number {
  return shopPoolMax.api + shopPoolMax.payments + shopPoolMax.worker * maxWorkers + readonlyConnectionLimit + trainingPool.perShop;
}

/** What the lab opens at most with `shops` shops (1 for the single lab), before the margin. */
export function labConnectionsAtMost(shops: number): number {
  return shops * shopConnectionsAtMost() + trainingPool.lab + sharedPlanes;
}

/**
 * max_connections for a lab of `teams` teams (0: the single lab, one shop): everything it can open
 * at most, a tenth more for what this count misses, the superuser's reserve; never below 200.
 */
export function postgresMaxConnections(teams: number): number {
  const needed = Math.ceil(labConnectionsAtMost(Math.max(teams, 1)) * 1.1) + superuserReserved;
  return Math.max(baseMaxConnections, needed);
}
