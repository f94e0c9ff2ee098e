import { teamNamePattern, teamNameRule } from '@firedrill/conventions';
import { env } from '@firedrill/kit';
import { z } from 'zod';

/**
 * Which Redis server a redis-memory-pressure fault presses (docs/decisions/0015). A single lab has
 * one, REDIS_ADMIN_URL's. A class runs one per team, described by the
 * lab in CLASS_SHOPS (the description training reads too; the controller needs only each team's
 * `redis` address): a team's fault presses its team's own server, as the lab's `lab` user (the
 * user and password of REDIS_ADMIN_URL, which every server of the lab has).
 */
export interface RedisServers {
  /**
   * The key of the server a fault for `team` acts on: '' for the single lab's, the team in a
   * class; undefined when the class has no server for it (no team, or a team without a shop).
   */
  keyOf(team: string | undefined): string | undefined;
  /** The admin URL (with its password: never log it) of a server by its key. */
  urlOf(key: string): string | undefined;
}

const teamName = z.string().regex(teamNamePattern, teamNameRule);

/** CLASS_SHOPS as the controller reads it: each team's Redis address (the other fields are training's). */
export const classRedisSetting = env
  .json('CLASS_SHOPS', z.record(teamName, z.looseObject({ redis: z.url({ protocol: /^redis$/ }) })), '{"<team>": {"redis": "redis://127.0.0.1:<port>", …}}', {})
  .transform((shops): Record<string, string> => Object.fromEntries(Object.entries(shops).map(([team, shop]) => [team, shop.redis])));

/** The lab's Redis servers: `adminUrl`'s alone, or (a class) each team's address with adminUrl's user and password. */
export function createRedisServers(adminUrl: string, classRedis: Readonly<Record<string, string>> = {}): RedisServers {
  const teams = Object.keys(classRedis);
  if (teams.length === 0) return { keyOf: () => '', urlOf: (key) => (key === '' ? adminUrl : undefined) };
  const urls = new Map(
    teams.map((team) => {
      const url = new URL(adminUrl);
      const server = new URL(classRedis[team]!);
      url.host = server.host;
      return [team, url.toString()];
    }),
  );
  return { keyOf: (team) => (team !== undefined && urls.has(team) ? team : undefined), urlOf: (key) => urls.get(key) };
}
