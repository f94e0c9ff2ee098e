import type { LabConfig } from '../config/lab-config.ts';
import { traineeTeamPrometheusFiles } from '../topology/team-prometheus-tokens.ts';
import { labRedisAdminUrl } from './redis-readonly-user.ts';
import { labShopAdminUrl } from './shop-readonly-role.ts';

/** Where a trainee's account reaches the lab: the training API, and the stores it gets read-only accounts on. */
export interface AccountPlaces {
  trainingPort: number;
  /** The shop database as its superuser: the read-only role is made there, and psql connects to its host, port and database. */
  shopAdminUrl: string;
  /** Redis without a user: the ACL user is made there, and redis-cli connects to its host and port. */
  redisAdminUrl: string;
  /** The files (name, text) that let a trainee of `team` query its team's Prometheus: its gate's token and URL. Absent where the lab runs no gate. */
  teamPrometheusFiles?: (team: string) => Array<{ name: string; text: string }>;
}

/** The running lab's places (its ports, not this shell's LAB_PORT_BASE: pass the running lab's ports in config). */
export function labAccountPlaces(config: LabConfig): AccountPlaces {
  return {
    trainingPort: config.ports.training,
    shopAdminUrl: labShopAdminUrl(config),
    redisAdminUrl: labRedisAdminUrl(config),
    teamPrometheusFiles: (team) => traineeTeamPrometheusFiles(config, team),
  };
}
