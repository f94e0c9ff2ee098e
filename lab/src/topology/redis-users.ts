import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../config/lab-config.ts';
import { storePassword, type ShopAccounts } from './shop-accounts.ts';

/**
 * The lab's Redis users (docs/decisions/0016). The default user is off, so a client without a
 * user and password gets NOAUTH; every client names one:
 * - `lab`: the lab's own clients (training's levers and its queue view, which `lab queue` reads,
 *   the chaos controller, redis-exporter, health checks, `lab reset`): every key and command;
 * - each shop's services' user (`shop`, `shop_blue`): its queue's keys and channels only, the
 *   commands BullMQ runs (scripts, blocking pops, INFO, CLIENT SETNAME), nothing administrative or
 *   dangerous (CONFIG, FLUSHALL, KEYS, DEBUG, ACL …);
 * - each shop's read-only user (`shop_readonly`, `shop_blue_readonly`, the trainees' redis-cli):
 *   reads its queue's keys, no writes, no admin. SCAN and RANDOMKEY are off too: Redis does not
 *   filter them by key pattern, so they would list another team's key names.
 * The users live in an ACL file the lab writes before every Redis start (secrets/, 0600, each
 * password as its SHA-256, never in clear), loaded by `--aclfile`: a restarted Redis has them all.
 * A class runs a Redis server per team (redis-servers.ts), each with its own file: `lab` and that
 * team's two users, so a team's server knows no other team's account.
 */
export const redisAdminUser = 'lab';

/** `secrets/redis-users.acl` (the single lab's server), `secrets/redis-users-blue.acl` (team blue's). */
export function redisAclFile(config: Pick<LabConfig, 'stateDir'>, team?: string): string {
  return path.join(config.stateDir, 'secrets', team === undefined ? 'redis-users.acl' : `redis-users-${team}.acl`);
}

/** A Redis user's name and password. */
export interface RedisCredentials {
  user: string;
  password: string;
}

export function redisAdminCredentials(config: Pick<LabConfig, 'stateDir'>): RedisCredentials {
  return { user: redisAdminUser, password: storePassword(config, 'redis', redisAdminUser) };
}

/** `redis://user:password@127.0.0.1:port`: carries a password, hand it to a process, never print it. */
export function redisUrlAs(credentials: RedisCredentials, port: number): string {
  return `redis://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
}

/** A lab Redis server (the single lab's: `config.ports.redis`; a team's: its own port) as `lab`, directly, not through Toxiproxy. */
export function redisAdminUrl(config: Pick<LabConfig, 'stateDir' | 'ports'>, port = config.ports.redis): string {
  return redisUrlAs(redisAdminCredentials(config), port);
}

/** The shop's services' user on Redis. */
export function shopRedisCredentials(config: Pick<LabConfig, 'stateDir'>, shop: ShopAccounts): RedisCredentials {
  return { user: shop.owner, password: storePassword(config, 'redis', shop.owner) };
}

/** The shop's read-only user on Redis (its trainees' redis-cli). */
export function readonlyRedisCredentials(config: Pick<LabConfig, 'stateDir'>, shop: ShopAccounts): RedisCredentials {
  return { user: shop.readonly, password: storePassword(config, 'redis', shop.readonly) };
}

/** One user's line of an ACL file. */
export interface RedisAclUser extends RedisCredentials {
  /** Key patterns (`~…` read/write, `%R~…` read only) and channels. */
  access: string[];
  commands: string[];
}

/** The rules of the shop's two users: its own prefix only (`firedrill:*` does not match `firedrill-blue:*`). */
export function shopRedisAclUsers(config: Pick<LabConfig, 'stateDir'>, shop: ShopAccounts): RedisAclUser[] {
  const keys = `${shop.queuePrefix}:*`;
  return [
    {
      ...shopRedisCredentials(config, shop),
      access: [`~${keys}`, `&${keys}`],
      commands: ['+@all', '-@admin', '-@dangerous', '+info', '+client|setname', '+client|getname', '+client|id'],
    },
    { ...readonlyRedisCredentials(config, shop), access: [`%R~${keys}`], commands: ['-@all', '+@read', '+@connection', '-@dangerous', '-scan', '-randomkey'] },
  ];
}

/** The ACL file's text: the default user off, then each user with its password's SHA-256. */
export function redisAclText(users: readonly RedisAclUser[]): string {
  const sha256 = (password: string) => createHash('sha256').update(password).digest('hex');
  const lines = [
    'user default off resetpass resetkeys resetchannels -@all',
    ...users.map((u) => ['user', u.user, 'on', `#${sha256(u.password)}`, 'resetkeys', 'resetchannels', ...u.access, ...u.commands].join(' ')),
  ];
  return `${lines.join('\n')}\n`;
}

/** The users of a server that holds `shops`' queues: `lab`, and each of those shops' two. */
export function redisAclUsersFor(config: Pick<LabConfig, 'stateDir'>, shops: readonly ShopAccounts[]): RedisAclUser[] {
  return [{ ...redisAdminCredentials(config), access: ['~*', '&*'], commands: ['+@all'] }, ...shops.flatMap((shop) => shopRedisAclUsers(config, shop))];
}

/** Writes the ACL file Redis loads at its start (0600, like every secret); returns its path. */
export function writeRedisAclFile(file: string, users: readonly RedisAclUser[]): string {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, redisAclText(users), { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
