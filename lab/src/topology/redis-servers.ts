import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { prepareRedis, teamPortsFor } from '@firedrill/lab-infra';
import type { LabConfig } from '../config/lab-config.ts';
import { redisAnswers } from '../supervisor/health-checks.ts';
import { redisAddress } from './lab-addresses.ts';
import type { ProcessSpec } from './process-spec.ts';
import { redisAclFile, redisAclUsersFor, redisAdminUrl, writeRedisAclFile } from './redis-users.ts';
import { shopAccounts, type ShopAccounts } from './shop-accounts.ts';

/**
 * The lab's Redis servers (docs/decisions/0015, "A Redis server per team"). The single lab runs
 * one, `redis`, for its one shop. A class runs one per team, `<team>-redis` on the team's port
 * block: Redis has no memory limit per user or key prefix, so only a server of its own makes
 * Lab 5's memory pressure (OOM on the team's enqueues, `maxmemory` in `INFO memory`, the
 * `redis-maxmemory` lever) one team's. There is no shared server in a class: every Redis user of
 * the lab (training's levers and queue view, the chaos controller, the exporter) reaches the
 * server of the team it acts for. Each server loads its own ACL file: `lab` and its shop's two users.
 */
export interface RedisServerPlace {
  /** Its process name: `redis`, or `blue-redis`. */
  name: string;
  /** The team whose server it is, in a class. */
  team?: string;
  port: number;
  /** The shop whose queue it holds (its users are in the server's ACL file). */
  shop: ShopAccounts;
  dataDir: string;
  aclFile: string;
}

/** The single lab's one server, or each team's. */
export function labRedisServers(config: LabConfig): RedisServerPlace[] {
  if (config.teams.length === 0)
    return [
      { name: 'redis', port: config.ports.redis, shop: shopAccounts(config), dataDir: path.join(config.stateDir, 'redis'), aclFile: redisAclFile(config) },
    ];
  return config.teams.map((team) => teamRedisServer(config, team));
}

/** Team `team`'s server: port offset 20 of its block (where the single lab's Redis sits in its own), its data in the team's state. */
export function teamRedisServer(config: LabConfig, team: string): RedisServerPlace {
  const index = config.teams.indexOf(team) + 1;
  if (index === 0) throw new Error(`no team "${team}" in this lab (teams: ${config.teams.join(', ') || 'none'})`);
  return {
    name: `${team}-redis`,
    team,
    port: teamPortsFor(config.portBase, index).redis,
    shop: shopAccounts(config, team),
    dataDir: path.join(config.stateDir, 'teams', team, 'redis'),
    aclFile: redisAclFile(config, team),
  };
}

/** What a process that needs "the Redis" waits for: every server there is (the shared planes use each team's). */
export function redisProcessNames(config: LabConfig): string[] {
  return labRedisServers(config).map((server) => server.name);
}

/** The supervised redis-server processes. */
export function redisProcesses(config: LabConfig): ProcessSpec[] {
  return labRedisServers(config).map((server) => ({
    name: server.name,
    kind: 'infrastructure',
    ...(server.team && { team: server.team }),
    port: server.port,
    url: redisAddress(server.port),
    dependsOn: [],
    restartOnCrash: true,
    // The URL (with its password) is built when the check runs: listing the processes must not generate secrets.
    health: () => redisAnswers(redisAdminUrl(config, server.port))(),
    // The users (default off, the lab's, the shop's two) are written before every start: a
    // restarted Redis loads them all from the file (docs/decisions/0016).
    launch: () => {
      // Private from its first start (decision 0016: data dirs are the lab user's), before
      // secureStateDir's next pass: a team's (teams/<team>/redis) is created with its parents here.
      mkdirSync(server.dataDir, { recursive: true, mode: 0o700 });
      return prepareRedis({
        dataDir: server.dataDir,
        port: server.port,
        logFile: '',
        persistent: true,
        aclFile: writeRedisAclFile(server.aclFile, redisAclUsersFor(config, [server.shop])),
      });
    },
  }));
}
