import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { waitFor } from '@firedrill/lab-infra';
import { testRedisUrl } from '@firedrill/lab-infra/testing';
import { sshPaths, traineeUser } from '../../src/ssh/ssh-paths.ts';
import { createTraineeAccount, removeTraineeAccount, type TraineeAccount } from '../../src/ssh/trainee-account.ts';
import { labBoxUnavailable, ssh, startLabBox, type LabBox } from './lab-box-fixture.ts';

interface ShellEvent {
  actor: string;
  team: string | null;
  kind: string;
  at: string;
  data: { trainee: string; command: string; cwd: string; exitStatus: number };
}

/**
 * The lab box over real ssh: the lab's sshd (its own config and host key), a real trainee account
 * made as `lab trainees add` makes it, and a real training process. Skipped, saying why, where
 * accounts cannot be made (not root, or openssh-server missing).
 */
describe.skipIf(labBoxUnavailable !== undefined)(
  `the lab box's sshd and a trainee's shell${labBoxUnavailable ? ` (skipped: ${labBoxUnavailable})` : ''}`,
  () => {
    let box: LabBox;
    let trainee: { name: string; team: string; token: string };
    let account: TraineeAccount;
    let redisKey: string;

    beforeAll(async () => {
      box = await startLabBox();
      trainee = await box.addTrainee();
      account = await createTraineeAccount(box.config, trainee, box.places);
      redisKey = `fdssh:${trainee.name}`;
      const redis = new Redis(testRedisUrl());
      await redis.set(redisKey, 'queue-depth-7');
      redis.disconnect();
    }, 60_000);
    afterAll(async () => {
      if (trainee) removeTraineeAccount(box.config, trainee.name);
      await box?.close();
    });

    const shellEvents = async () => {
      const response = await fetch(`${box.training.url}/api/events?kind=shell.command&limit=100`, {
        headers: { authorization: `Bearer ${box.instructorToken}` },
      });
      return ((await response.json()) as { events: ShellEvent[] }).events;
    };

    it("when the account is made, then its private key is root's alone (0600), its public key is in the lab's root-owned authorized_keys, and the token is the trainee's (0600)", () => {
      expect(statSync(account.privateKey).mode & 0o777).toBe(0o600);
      expect(statSync(account.privateKey).uid).toBe(0);
      const authorized = path.join(sshPaths(box.config.stateDir).authorizedKeysDir, account.user);
      expect(statSync(authorized).uid).toBe(0);
      expect(statSync(authorized).mode & 0o022).toBe(0);
      const token = statSync(path.join(account.home, '.config', 'firedrill', 'token'));
      expect(token.mode & 0o777).toBe(0o600);
      expect(token.uid).not.toBe(0);
      expect(statSync(path.join(sshPaths(box.config.stateDir).hostKey)).mode & 0o777).toBe(0o600);
    });

    it("when someone tries a password, or root with the trainee's key, then sshd refuses", async () => {
      const password = await ssh(box, account.user, undefined, 'true', {
        extra: ['-o', 'BatchMode=yes', '-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password,keyboard-interactive'],
      });
      expect(password.status).toBe(255);
      expect(password.stderr).toMatch(/Permission denied \(publickey\)/);
      const root = await ssh(box, 'root', account.privateKey, 'true');
      expect(root.status).toBe(255);
      expect(root.stderr).toMatch(/Permission denied/);
    });

    it('when the trainee connects with its key, then the shell is its own account and `lab whoami` answers as the trainee of its team', async () => {
      const answer = await ssh(box, account.user, account.privateKey, 'id -un; lab whoami');
      expect(answer.stderr).toBe('');
      expect(answer.stdout.trim().split('\n')).toEqual([account.user, `trainee:${trainee.name} (trainee, team ${trainee.team})`]);
    });

    it("when the trainee runs psql, then it reads the team's shop database and an insert is refused", async () => {
      const read = await ssh(box, account.user, account.privateKey, "psql -Atc 'select total from orders where id = 1'");
      expect(read.stdout.trim()).toBe('42');
      const write = await ssh(box, account.user, account.privateKey, "psql -Atc 'insert into orders values (2, 1)'");
      expect(write.status).not.toBe(0);
      expect(write.stderr).toMatch(/read-only transaction|permission denied/);
    });

    it('when the trainee runs redis-cli, then reads work and a write is refused by the ACL', async () => {
      const read = await ssh(box, account.user, account.privateKey, `redis-cli get ${redisKey}`);
      expect(read.stdout.trim()).toBe('queue-depth-7');
      const write = await ssh(box, account.user, account.privateKey, `redis-cli set ${redisKey} changed`);
      expect(write.stdout).toMatch(/NOPERM/);
      const flush = await ssh(box, account.user, account.privateKey, 'redis-cli flushall');
      expect(flush.stdout).toMatch(/NOPERM/);
    });

    it("when the trainee types commands in an interactive shell, then each appears on the team's timeline as a shell.command event with its status, as the trainee", async () => {
      const marker = `m${Date.now()}`;
      const typed = await ssh(box, account.user, account.privateKey, '', { tty: `echo typed-${marker}\nls /nowhere-${marker}\nexit\n` });
      expect(typed.stdout).toContain(`typed-${marker}`);
      const recorded = await waitFor(
        'the typed commands on the timeline',
        async () => {
          const events = (await shellEvents()).filter((e) => e.data.command.includes(marker));
          return events.length >= 2 ? events : undefined;
        },
        { timeoutMs: 10_000 },
      );
      const echo = recorded.find((e) => e.data.command === `echo typed-${marker}`);
      const ls = recorded.find((e) => e.data.command === `ls /nowhere-${marker}`);
      expect(echo).toMatchObject({ actor: `trainee:${trainee.name}`, team: trainee.team, data: { trainee: trainee.name, exitStatus: 0, cwd: account.home } });
      expect(ls?.data.exitStatus).toBe(2);
      // The lab's clock: recorded within the last minute by the server, whatever the client's.
      expect(Date.now() - Date.parse(echo!.at)).toBeLessThan(60_000);
      // A command run with `ssh box 'command'` is recorded too (the whoami above).
      expect((await shellEvents()).some((e) => e.data.command === 'id -un; lab whoami' && e.actor === `trainee:${trainee.name}`)).toBe(true);
    });

    it('when the trainee is removed, then its account, home and keys are gone and ssh is refused', async () => {
      expect(removeTraineeAccount(box.config, trainee.name)).toBe(true);
      expect(existsSync(account.home)).toBe(false);
      expect(existsSync(account.privateKey)).toBe(false);
      expect(existsSync(path.join(sshPaths(box.config.stateDir).authorizedKeysDir, traineeUser(trainee.name)))).toBe(false);
      const refused = await ssh(box, account.user, undefined, 'true', { extra: ['-o', 'BatchMode=yes'] });
      expect(refused.status).toBe(255);
    });
  },
);
