import { teamNamePattern, teamNameRule, withTeamMatcher } from '@firedrill/conventions';
import { env, HttpProblem, problems } from '@firedrill/kit';
import { z } from 'zod';
import type { Probe } from '../scenario/scenario-schema.ts';

/**
 * Which shop a run, a lever or a probe acts on (docs/decisions/0015). A single lab has one shop,
 * the one API_URL/PAYMENTS_URL/SHOP_ADMIN_DATABASE_URL/QUEUE_PREFIX/REDIS_URL name, whatever team a
 * run is for. A class (`lab up --teams`) has one shop per team, which the lab describes in CLASS_SHOPS;
 * there a run, a lever and a probe act on their team's shop, and one for no team has no shop.
 */
export interface Shop {
  /** The class's team whose shop this is; null: the single lab's shop. */
  team: string | null;
  /**
   * What keeps one unfinished run per shop (runs.shop, migration 0008): '' for the single lab's
   * shop, else the team. The single lab's runs all share '' whatever their team, as they did.
   */
  key: string;
  apiUrl: string;
  paymentsUrl: string;
  /** The shop database as the superuser, directly (not through Toxiproxy). */
  adminDatabaseUrl: string;
  /** BullMQ key prefix of the shop's fulfilment queue. */
  queuePrefix: string;
  /** The shop's Redis server as the lab's admin user, directly (not through Toxiproxy): the Redis levers and the queue view. */
  adminRedisUrl: string;
  /** The supervisor's name of one of the shop's processes: `api` in a single lab, `blue-api` in a class. */
  processName(service: string): string;
}

const teamName = z.string().regex(teamNamePattern, teamNameRule);

/**
 * CLASS_SHOPS: team → its shop's addresses. The database is named, its URL is
 * SHOP_ADMIN_DATABASE_URL's with that name; `redis` is the team's own Redis server (a class runs one
 * per team), reached with REDIS_URL's user and password. No password travels in this setting.
 */
export const classShopsSchema = z.record(
  teamName,
  z.strictObject({
    api: z.url(),
    payments: z.url(),
    database: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'a database name'),
    queuePrefix: z.string().min(1),
    redis: z.url({ protocol: /^redis$/ }),
  }),
);
export type ClassShops = z.output<typeof classShopsSchema>;

/** CLASS_SHOPS as an environment variable: JSON, checked like every other setting. */
export const classShopsSetting = env.json(
  'CLASS_SHOPS',
  classShopsSchema,
  '{"<team>": {"api", "payments", "database", "queuePrefix", "redis"}}',
  {} as ClassShops,
);

export interface SingleShopSettings {
  apiUrl: string;
  paymentsUrl: string;
  adminDatabaseUrl: string;
  queuePrefix: string;
  /** REDIS_URL: the single lab's Redis; in a class, the user and password for every team's. */
  adminRedisUrl: string;
}

/** The single lab's shop and, in a class, each team's. */
export function createShopDirectory(single: SingleShopSettings, classShops: ClassShops = {}) {
  const teams = Object.keys(classShops);
  const isClass = teams.length > 0;
  const singleShop: Shop = { team: null, key: '', ...single, processName: (service) => service };
  const teamShop = (team: string): Shop => {
    const shop = classShops[team]!;
    const database = new URL(single.adminDatabaseUrl);
    database.pathname = `/${shop.database}`;
    const redis = new URL(single.adminRedisUrl);
    redis.host = new URL(shop.redis).host;
    return {
      team,
      key: team,
      apiUrl: shop.api,
      paymentsUrl: shop.payments,
      adminDatabaseUrl: database.toString(),
      queuePrefix: shop.queuePrefix,
      adminRedisUrl: redis.toString(),
      processName: (service) => `${team}-${service}`,
    };
  };
  const shops = new Map(teams.map((team) => [team, teamShop(team)]));

  return {
    isClass,
    teams,
    /** Every shop there is: the single lab's, or the class's teams'. */
    all: (): Shop[] => (isClass ? [...shops.values()] : [singleShop]),
    /**
     * The shop of a run, a lever or a probe for `team`. Throws a 400 problem in a class when no
     * team (or one without a shop) is named: acting on "the" shop would mean every team's.
     */
    shopFor(team: string | null): Shop {
      if (!isClass) return singleShop;
      const shop = team === null ? undefined : shops.get(team);
      if (shop) return shop;
      throw new HttpProblem(
        problems.validation_failed,
        team === null
          ? `This lab is a class (teams ${teams.join(', ')}): name the team whose shop it is for`
          : `Team ${team} has no shop in this class (teams with one: ${teams.join(', ')})`,
        { errors: [{ field: 'team', message: team === null ? 'required in a class' : 'no shop of this team' }] },
      );
    },
  };
}

export type ShopDirectory = ReturnType<typeof createShopDirectory>;

/**
 * A scenario's probes as one team's run evaluates them: its PromQL scoped to the team's series
 * (every shop series of a class carries `team`); http and SQL probes reach the team's shop through
 * its addresses instead. The single lab's shop (team null): the probes as written.
 */
export function probesForTeam(probes: readonly Probe[], team: string | null): readonly Probe[] {
  if (team === null) return probes;
  return probes.map((probe) => (probe.kind === 'promql' ? { ...probe, promql: withTeamMatcher(probe.promql, team) } : probe));
}
