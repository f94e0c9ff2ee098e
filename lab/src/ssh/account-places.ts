import type { LabConfig } from '../config/lab-config.ts';
import { readonlyConnection, type ReadonlyConnection } from '../topology/postgres-credentials.ts';
import { readonlyRedisCredentials, type RedisCredentials } from '../topology/redis-users.ts';
import { teamRedisServer } from '../topology/redis-servers.ts';
import { traineeShopAccounts } from '../topology/shop-accounts.ts';
import { traineeTeamPrometheusFiles } from '../topology/team-prometheus-tokens.ts';

/** Where a trainee's account reaches the lab: the training API, and its team's read-only accounts on its stores. */
export interface AccountPlaces {
  trainingPort: number;
  /**
   * A team's read-only accounts on its shop's stores (shop-accounts.ts; made at `lab up`, not by
   * `lab trainees add`): psql's settings, and redis-cli's server (the single lab's Redis, or the
   * team's own in a class; direct, not through Toxiproxy), user and password.
   */
  readonlyAccounts(team: string): { database: ReadonlyConnection; redis: RedisCredentials & { port: number } };
  /** The files (name, text) that let a trainee of `team` query its team's Prometheus: its gate's token and URL. Absent where the lab runs no gate. */
  teamPrometheusFiles?: (team: string) => Array<{ name: string; text: string }>;
}

/** The running lab's places (its ports, not this shell's LAB_PORT_BASE: pass the running lab's ports in config). */
export function labAccountPlaces(config: LabConfig): AccountPlaces {
  return {
    trainingPort: config.ports.training,
    readonlyAccounts(team) {
      const shop = traineeShopAccounts(config, team);
      const port = config.teams.length === 0 ? config.ports.redis : teamRedisServer(config, team).port;
      return { database: readonlyConnection(config, shop), redis: { ...readonlyRedisCredentials(config, shop), port } };
    },
    teamPrometheusFiles: (team) => traineeTeamPrometheusFiles(config, team),
  };
}
