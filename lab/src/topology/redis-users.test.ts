import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLabConfig } from '../config/lab-config.ts';
import { labProcesses } from './lab-processes.ts';
import { labRedisServers } from './redis-servers.ts';
import { redisAclFile, redisAclText, redisAclUsersFor } from './redis-users.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fd-redis-users-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const klass = loadLabConfig({ LAB_STATE_DIR: path.join(dir, 'class'), LAB_TEAMS: 'blue,green' }, '/repo');
const single = loadLabConfig({ LAB_STATE_DIR: path.join(dir, 'single') }, '/repo');
/** Each Redis server's users, as its ACL file has them: the single lab's one, or each team's own. */
const usersOf = (config: typeof klass, index = 0) => redisAclUsersFor(config, [labRedisServers(config)[index]!.shop]);
const lines = (config: typeof klass, index = 0) => redisAclText(usersOf(config, index)).trim().split('\n');
const line = (config: typeof klass, user: string) =>
  labRedisServers(config)
    .flatMap((_, i) => lines(config, i))
    .find((l) => l.startsWith(`user ${user} `))!;

describe("the lab's Redis users (docs/decisions/0016)", () => {
  it('turns the default user off and gives the lab every key and command', () => {
    expect(lines(klass)[0]).toBe('user default off resetpass resetkeys resetchannels -@all');
    expect(line(klass, 'lab')).toMatch(/^user lab on #[0-9a-f]{64} resetkeys resetchannels ~\* &\* \+@all$/);
  });

  it("gives each team's server its shop's users only, on its own prefix, and its read-only user reads that prefix only", () => {
    expect(lines(klass, 0).map((l) => l.split(' ')[1])).toEqual(['default', 'lab', 'shop_blue', 'shop_blue_readonly']);
    expect(lines(klass, 1).map((l) => l.split(' ')[1])).toEqual(['default', 'lab', 'shop_green', 'shop_green_readonly']);
    expect(line(klass, 'shop_blue')).toContain(' ~firedrill-blue:* &firedrill-blue:* +@all -@admin -@dangerous ');
    expect(line(klass, 'shop_blue_readonly')).toContain(' %R~firedrill-blue:* -@all +@read +@connection -@dangerous -scan -randomkey');
    expect(line(klass, 'shop_green')).toContain(' ~firedrill-green:* ');
    // The single lab: one shop, `shop`, on the `firedrill:` keys.
    expect(lines(single).map((l) => l.split(' ')[1])).toEqual(['default', 'lab', 'shop', 'shop_readonly']);
    expect(line(single, 'shop_readonly')).toContain(' %R~firedrill:* ');
  });

  it('holds passwords as SHA-256 only', () => {
    const users = usersOf(klass);
    const text = redisAclText(users);
    for (const user of users) {
      expect(text).not.toContain(user.password);
      expect(text).toContain(`#${createHash('sha256').update(user.password).digest('hex')}`);
    }
  });

  it('is written (0600, in secrets) before every Redis start and loaded with --aclfile; what the lab shows has no password', () => {
    const redis = labProcesses(single).find((p) => p.name === 'redis')!;
    expect(redis.url).toBe('redis://127.0.0.1:7420');
    const { args } = redis.launch();
    expect(args.slice(args.indexOf('--aclfile'), args.indexOf('--aclfile') + 2)).toEqual(['--aclfile', redisAclFile(single)]);
    expect(statSync(redisAclFile(single)).mode & 0o777).toBe(0o600);
    // A class: each team's server on its block (offset 20), its own file; no shared server.
    const servers = labProcesses(klass).filter((p) => p.name.endsWith('redis'));
    expect(servers.map((p) => [p.name, p.team, p.url])).toEqual([
      ['blue-redis', 'blue', 'redis://127.0.0.1:7520'],
      ['green-redis', 'green', 'redis://127.0.0.1:7620'],
    ]);
    const green = servers[1]!.launch().args;
    expect(green.slice(green.indexOf('--aclfile'), green.indexOf('--aclfile') + 2)).toEqual(['--aclfile', redisAclFile(klass, 'green')]);
    expect(green.slice(green.indexOf('--dir'), green.indexOf('--dir') + 2)).toEqual(['--dir', path.join(klass.stateDir, 'teams', 'green', 'redis')]);
    expect(statSync(redisAclFile(klass, 'green')).mode & 0o777).toBe(0o600);
  });
});
