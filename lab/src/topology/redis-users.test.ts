import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLabConfig } from '../config/lab-config.ts';
import { labProcesses } from './lab-processes.ts';
import { labRedisAclUsers, redisAclFile, redisAclText } from './redis-users.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fd-redis-users-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const klass = loadLabConfig({ LAB_STATE_DIR: path.join(dir, 'class'), LAB_TEAMS: 'blue,green' }, '/repo');
const single = loadLabConfig({ LAB_STATE_DIR: path.join(dir, 'single') }, '/repo');
const lines = (config: typeof klass) => redisAclText(labRedisAclUsers(config)).trim().split('\n');
const line = (config: typeof klass, user: string) => lines(config).find((l) => l.startsWith(`user ${user} `))!;

describe("the lab's Redis users (docs/decisions/0016)", () => {
  it('turns the default user off and gives the lab every key and command', () => {
    expect(lines(klass)[0]).toBe('user default off resetpass resetkeys resetchannels -@all');
    expect(line(klass, 'lab')).toMatch(/^user lab on #[0-9a-f]{64} resetkeys resetchannels ~\* &\* \+@all$/);
  });

  it("gives each team's shop its own prefix, and its read-only user reads that prefix only", () => {
    expect(lines(klass).map((l) => l.split(' ')[1])).toEqual(['default', 'lab', 'shop_blue', 'shop_blue_readonly', 'shop_green', 'shop_green_readonly']);
    expect(line(klass, 'shop_blue')).toContain(' ~firedrill-blue:* &firedrill-blue:* +@all -@admin -@dangerous ');
    expect(line(klass, 'shop_blue_readonly')).toContain(' %R~firedrill-blue:* -@all +@read +@connection -@dangerous -scan -randomkey');
    expect(line(klass, 'shop_green')).toContain(' ~firedrill-green:* ');
    // The single lab: one shop, `shop`, on the `firedrill:` keys.
    expect(lines(single).map((l) => l.split(' ')[1])).toEqual(['default', 'lab', 'shop', 'shop_readonly']);
    expect(line(single, 'shop_readonly')).toContain(' %R~firedrill:* ');
  });

  it('holds passwords as SHA-256 only', () => {
    const users = labRedisAclUsers(klass);
    const text = redisAclText(users);
    for (const user of users) {
      expect(text).not.toContain(user.password);
      expect(text).toContain(`#${createHash('sha256').update(user.password).digest('hex')}`);
    }
  });

  it('is written (0600, in secrets) before every Redis start and loaded with --aclfile; what the lab shows has no password', () => {
    const redis = labProcesses(klass).find((p) => p.name === 'redis')!;
    expect(redis.url).toBe('redis://127.0.0.1:7420');
    const { args } = redis.launch();
    expect(args.slice(args.indexOf('--aclfile'), args.indexOf('--aclfile') + 2)).toEqual(['--aclfile', redisAclFile(klass)]);
    expect(statSync(redisAclFile(klass)).mode & 0o777).toBe(0o600);
  });
});
