import { teamNamePattern, teamNameRule } from '@firedrill/conventions';
import { env } from '@firedrill/kit';
import { z } from 'zod';
import type { FaultSpec } from '../faults/catalogue.ts';

/**
 * Which Redis server a redis-memory-pressure fault presses (docs/decisions/0015). A single lab has
 * one, REDIS_ADMIN_URL's, whatever team a fault names. A class runs one per team, described by the
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
  /** The class's teams; empty for a single lab. */
  teams: readonly string[];
}

/** What a Redis fault does to its team's server, for the refusal's wording. */
const redisFaultVerbs: Partial<Record<FaultSpec['family'], string>> = { 'redis-loss': 'cut off', 'redis-memory-pressure': 'press' };

/**
 * Why a Redis fault (redis-loss, redis-memory-pressure) is refused (409), or undefined. In a class
 * each team has its own Redis and no server or proxy is the class's (the lab creates no `redis`
 * proxy there), so the fault must name a team of the class: one for no team would act on nothing.
 * A single lab's fault acts on its one server, whatever team it names.
 */
export function redisServerRefusal(spec: FaultSpec, servers: RedisServers): string | undefined {
  const verb = redisFaultVerbs[spec.family];
  if (verb === undefined || servers.keyOf(spec.team) !== undefined) return undefined;
  return spec.team === undefined
    ? `In this class each team has its own Redis: name the team whose Redis to ${verb} (teams: ${servers.teams.join(', ')})`
    : `Team ${spec.team} has no Redis in this class (teams: ${servers.teams.join(', ')})`;
}

const teamName = z.string().regex(teamNamePattern, teamNameRule);

/** CLASS_SHOPS as the controller reads it: each team's Redis address (the other fields are training's). */
export const classRedisSetting = env
  .json('CLASS_SHOPS', z.record(teamName, z.looseObject({ redis: z.url({ protocol: /^redis$/ }) })), '{"<team>": {"redis": "redis://127.0.0.1:<port>", …}}', {})
  .transform((shops): Record<string, string> => Object.fromEntries(Object.entries(shops).map(([team, shop]) => [team, shop.redis])));

/** The lab's Redis servers: `adminUrl`'s alone, or (a class) each team's address with adminUrl's user and password. */
export function createRedisServers(adminUrl: string, classRedis: Readonly<Record<string, string>> = {}): RedisServers {
  const teams = Object.keys(classRedis);
  if (teams.length === 0) return { teams, keyOf: () => '', urlOf: (key) => (key === '' ? adminUrl : undefined) };
  const urls = new Map(
    teams.map((team) => {
      const url = new URL(adminUrl);
      const server = new URL(classRedis[team]!);
      url.host = server.host;
      return [team, url.toString()];
    }),
  );
  return { teams, keyOf: (team) => (team !== undefined && urls.has(team) ? team : undefined), urlOf: (key) => urls.get(key) };
}
