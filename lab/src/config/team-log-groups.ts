import { spawnSync } from 'node:child_process';

/**
 * The Linux group that may read a class's team's shop logs (blue-api.log …): the team's trainee
 * accounts are in it, so a trainee reads its own team's logs and not another team's
 * (docs/decisions/0016). `fd-team-` keeps it apart from real groups, as `fd-` does for users.
 */
export const teamLogGroup = (team: string) => `fd-team-${team}`;

const gids = new Map<string, number>();

/**
 * The group's id, made first if it is missing (groupadd -f); undefined where the lab cannot make
 * groups (not root): there are no trainee accounts there either, and the log keeps the lab user's group.
 */
export function ensureTeamLogGroup(team: string): number | undefined {
  const group = teamLogGroup(team);
  const known = gids.get(group);
  if (known !== undefined) return known;
  if (process.getuid?.() !== 0) return undefined;
  if (spawnSync('groupadd', ['-f', group], { stdio: 'ignore' }).status !== 0) return undefined;
  const gid = Number(spawnSync('getent', ['group', group], { encoding: 'utf8' }).stdout.split(':')[2]);
  if (!Number.isInteger(gid)) return undefined;
  gids.set(group, gid);
  return gid;
}
