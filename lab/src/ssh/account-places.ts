import type { LabConfig } from '../config/lab-config.ts';
import { readonlyConnection, type ReadonlyConnection } from '../topology/postgres-credentials.ts';
import { readonlyRedisCredentials, type RedisCredentials } from '../topology/redis-users.ts';
import { traineeShopAccounts } from '../topology/shop-accounts.ts';
import { traineeTeamPrometheusFiles } from '../topology/team-prometheus-tokens.ts';

/** Where a trainee's account reaches the lab: the training API, Redis, and its team's read-only accounts. */
export interface AccountPlaces {
  trainingPort: number;
  /** The lab's Redis (direct, not through Toxiproxy): the trainee's redis-cli connects here. */
  redisPort: number;
  /**
   * A team's read-only accounts on its shop's stores (shop-accounts.ts; made at `lab up`, not by
   * `lab trainees add`): psql's settings, and redis-cli's user and password.
   */
  readonlyAccounts(team: string): { database: ReadonlyConnection; redis: RedisCredentials };
  /** The files (name, text) that let a trainee of `team` query its team's Prometheus: its gate's token and URL. Absent where the lab runs no gate. */
  teamPrometheusFiles?: (team: string) => Array<{ name: string; text: string }>;
}

/** The running lab's places (its ports, not this shell's LAB_PORT_BASE: pass the running lab's ports in config). */
export function labAccountPlaces(config: LabConfig): AccountPlaces {
  return {
    trainingPort: config.ports.training,
    redisPort: config.ports.redis,
    readonlyAccounts(team) {
      const shop = traineeShopAccounts(config, team);
      return { database: readonlyConnection(config, shop), redis: readonlyRedisCredentials(config, shop) };
    },
    teamPrometheusFiles: (team) => traineeTeamPrometheusFiles(config, team),
  };
}
