import { Redis } from 'ioredis';
import type { LabConfig } from '../config/lab-config.ts';
import { redisUrl } from '../topology/lab-addresses.ts';
import { teamSecret } from './team-secrets.ts';

/** The team's read-only Redis ACL user: its name and password. */
export function redisReadOnlyUser(config: LabConfig, team: string) {
  return { host: '127.0.0.1', port: config.ports.redis, user: `${team}-readonly`, password: teamSecret(config.stateDir, team, 'redis') };
}

/**
 * ACL SETUSER: reads on every key (one shop: the queue's and the cache's keys), no writes, no
 * admin or dangerous commands (KEYS, CONFIG, DEBUG, FLUSH…), no pub/sub channels. ACLs live in
 * Redis's memory: `lab trainees add` and the sshd's start (after Redis) apply them again.
 */
export async function ensureRedisReadOnlyUser(config: LabConfig, team: string): Promise<ReturnType<typeof redisReadOnlyUser>> {
  const user = redisReadOnlyUser(config, team);
  const client = new Redis(redisUrl(config), { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    await client.call('ACL', 'SETUSER', user.user, 'reset', 'on', `>${user.password}`, '~*', 'resetchannels', '-@all', '+@read', '+@connection', '-@dangerous');
    return user;
  } finally {
    client.disconnect();
  }
}
