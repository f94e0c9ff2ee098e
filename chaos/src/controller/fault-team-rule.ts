import type { FaultSpec } from '../faults/catalogue.ts';

/**
 * Why a fault is refused (409) for the team it names, or undefined. Every fault acts on one shop:
 * its agents (CHAOS_TEAM), its proxies (`<team>-postgres`), its Redis. In a class (`lab up
 * --teams`, docs/decisions/0015) every shop is a team's and none is the class's own, so a fault must
 * name one of the class's teams: one for no team (or for a team without a shop) would be accepted,
 * journalled and shown as active while acting on nothing. A single lab has one shop, which no team
 * owns: its faults name no team, as they always have.
 *
 * The one rule for every family and every way in (the controller's API, which training's runs, the
 * console and the CLI all go through).
 */
export function faultTeamRefusal(spec: Pick<FaultSpec, 'family' | 'team'>, classTeams: readonly string[]): string | undefined {
  const teams = classTeams.join(', ');
  if (classTeams.length === 0) {
    return spec.team === undefined ? undefined : `This lab runs one shop, no team's: a fault names no team (${spec.team} given)`;
  }
  if (spec.team === undefined) return `In this class each team has its own shop: name the team whose shop the ${spec.family} fault is for (teams: ${teams})`;
  if (!classTeams.includes(spec.team)) return `Team ${spec.team} has no shop in this class (teams: ${teams})`;
  return undefined;
}
