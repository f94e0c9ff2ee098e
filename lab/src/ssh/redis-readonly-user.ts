import { Redis } from 'ioredis';
import type { LabConfig } from '../config/lab-config.ts';
import { redisUrl } from '../topology/lab-addresses.ts';
import { teamSecret } from './team-secrets.ts';

/** The team's read-only Redis ACL user: its name and password. */
export function redisReadOnlyUser(stateDir: string, team: string) {
  return { user: `${team}-readonly`, password: teamSecret(stateDir, team, 'redis') };
}

/** The lab's Redis without a user: where the ACL users are made. */
export const labRedisAdminUrl = (config: LabConfig) => redisUrl(config);

/**
 * ACL SETUSER: reads on every key (one shop: the queue's and the cache's keys), no writes, no
 * admin or dangerous commands (KEYS, CONFIG, DEBUG, FLUSH…), no pub/sub channels. ACLs live in
 * Redis's memory: `lab trainees add` and the sshd's start (after Redis) apply them again.
 */
export async function ensureRedisReadOnlyUser(stateDir: string, redisAdminUrl: string, team: string): Promise<ReturnType<typeof redisReadOnlyUser>> {
  const user = redisReadOnlyUser(stateDir, team);
  const client = new Redis(redisAdminUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    await client.call('ACL', 'SETUSER', user.user, 'reset', 'on', `>${user.password}`, '~*', 'resetchannels', '-@all', '+@read', '+@connection', '-@dangerous');
    return user;
  } finally {
    client.disconnect();
  }
}
