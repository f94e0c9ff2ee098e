import { readFileSync } from 'node:fs';
import { teamNameSource } from '@firedrill/conventions';
import { teamPortsFor } from '@firedrill/lab-infra';
import { chaosTokenFiles } from '../chaos/chaos-tokens.ts';
import type { LabConfig } from '../config/lab-config.ts';
import type { MetricRelabel, ScrapeTarget } from '../prometheus/prometheus-config.ts';
import { httpUrl as http, redisAddress } from './lab-addresses.ts';
import type { ProcessSpec } from './process-spec.ts';
import { teamRedisServer } from './redis-servers.ts';
import { shopAccounts, teamDatabase } from './shop-accounts.ts';
import { shopProcesses, shopStorePlace, type ShopPlace } from './shop-processes.ts';
import type { ProxyDefinition } from './toxiproxy-proxies.ts';

/**
 * A class: one shop per team on the shared planes (docs/decisions/0015). Every per-team piece of
 * the topology is here; lab-processes.ts, the proxies and the scrape targets each call it once,
 * and with no teams each returns nothing, so the single lab is what it always was.
 */

/** Team `team`'s shop: its block of ports, its database, its key prefix, its proxies, its own Redis server, its own store accounts. */
export function teamShopPlace(config: LabConfig, team: string): ShopPlace {
  const index = config.teams.indexOf(team) + 1;
  if (index === 0) throw new Error(`no team "${team}" in this lab (teams: ${config.teams.join(', ') || 'none'})`);
  const ports = teamPortsFor(config.portBase, index);
  return {
    team,
    namePrefix: teamNamePrefix(team),
    ports,
    workerReplicaPort: (replica) => ports.workerReplicas + replica - 2,
    redisProcess: teamRedisServer(config, team).name,
    ...shopStorePlace(config, shopAccounts(config, team), ports),
  };
}

/** What the team's processes are called before their service: `blue-` (blue-api, blue-worker-2). */
export function teamNamePrefix(team: string): string {
  return `${team}-`;
}

/** A shop process's name: `worker` in the single lab (no team), `blue-worker` for team blue's in a class. */
export function shopProcessName(team: string | undefined, service: string): string {
  return team ? `${teamNamePrefix(team)}${service}` : service;
}

/** Every team's api, payments and worker. */
export function teamShopProcesses(config: LabConfig): ProcessSpec[] {
  return config.teams.flatMap((team) => shopProcesses(config, teamShopPlace(config, team)));
}

/**
 * CLASS_SHOPS, the one description of a class's shops the lab hands its planes (training and the
 * chaos controller): each team's shop as a run, a lever, a probe and a fault reach it — its api and
 * payments, its database's name on the shared Postgres, its queue prefix, its own Redis server's
 * address. Names and addresses only: the lab's admin URLs (SHOP_ADMIN_DATABASE_URL, REDIS_URL,
 * REDIS_ADMIN_URL) carry the credentials, so no password sits in a JSON setting. Nothing for a single lab.
 */
export function classShopsEnv(config: LabConfig): { CLASS_SHOPS?: string } {
  if (config.teams.length === 0) return {};
  const shops = Object.fromEntries(
    config.teams.map((team) => {
      const place = teamShopPlace(config, team);
      return [
        team,
        {
          api: http(place.ports.api),
          payments: http(place.ports.payments),
          database: teamDatabase(team),
          queuePrefix: place.queuePrefix,
          redis: redisAddress(teamRedisServer(config, team).port),
        },
      ];
    }),
  );
  return { CLASS_SHOPS: JSON.stringify(shops) };
}

/** `<team>-postgres` and `<team>-redis`: the team's path to its stores (the shared Postgres, its own Redis), for its network faults. */
export function teamProxies(config: LabConfig): ProxyDefinition[] {
  const { ports } = config;
  const listen = (port: number) => `127.0.0.1:${port}`;
  return config.teams.flatMap((team, i) => {
    const own = teamPortsFor(config.portBase, i + 1);
    return [
      { name: `${team}-postgres`, listen: listen(own.postgresProxy), upstream: listen(ports.postgres) },
      { name: `${team}-redis`, listen: listen(own.redisProxy), upstream: listen(own.redis) },
    ];
  });
}

/** Each team's services in the jobs they have in the single lab, labelled with their team. */
export function teamScrapeTargets(config: LabConfig): ScrapeTarget[] {
  return config.teams.flatMap((team) => {
    const { ports } = teamShopPlace(config, team);
    const redis = teamRedisServer(config, team).port;
    const labels = { team };
    return [
      { job: 'api', port: ports.api, metricsPath: '/metrics', labels },
      { job: 'payments', port: ports.payments, metricsPath: '/metrics', labels },
      { job: 'worker', port: ports.worker, metricsPath: '/metrics', labels },
      // Its own Redis, through the lab's one exporter in multi-target mode (/scrape?target=): every
      // redis_* series of the team's server carries its team, as its services' do.
      {
        job: 'redis-exporter',
        port: config.ports.redisExporter,
        metricsPath: '/scrape',
        labels: { ...labels, instance: `127.0.0.1:${redis}`, __param_target: redisAddress(redis) },
      },
    ];
  });
}

/**
 * The one Postgres server's exporter in a class: its target carries no team (the server is every
 * team's), so each per-database series (pg_stat_database_*, pg_stat_activity_count, pg_locks_count
 * …) gets its team from its database, `shop_<team>` → `team="<team>"`: a team's gate then returns
 * its own database's series and never another's. The lab's and the single shop's databases
 * (`lab`, `postgres`, `shop`) and the server-wide series (pg_up, pg_settings_*) match nothing and
 * stay team-less, as every shared plane's series are.
 */
export const teamOfShopDatabase: MetricRelabel = {
  sourceLabel: 'datname',
  regex: teamDatabase(`(${teamNameSource})`),
  targetLabel: 'team',
  replacement: '$1',
};

/**
 * The class's teams exist in training from `lab up` on (trainees join them, runs start for them).
 * Idempotent: a team that exists already (409) is fine; runs at every training start.
 */
export async function ensureTeamsInTraining(config: LabConfig): Promise<void> {
  if (config.teams.length === 0) return;
  const token = readFileSync(chaosTokenFiles(config).instructor, 'utf8').trim();
  for (const team of config.teams) {
    const response = await fetch(`${http(config.ports.training)}/api/teams`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-firedrill-actor': 'lab up' },
      body: JSON.stringify({ name: team }),
      signal: AbortSignal.timeout(5_000),
    });
    if (response.status !== 201 && response.status !== 409) throw new Error(`training refused team ${team}: ${response.status} ${await response.text()}`);
  }
}
