import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { WebSocket } from 'ws';
import type { RunningConsole } from '@firedrill/console';
import { waitFor } from '@firedrill/lab-infra';
import { sshPaths, traineeUser } from '../../src/ssh/ssh-paths.ts';
import { createTraineeAccount, removeTraineeAccount, type TraineeAccount } from '../../src/ssh/trainee-account.ts';
import { refreshTraineeAccounts } from '../../src/ssh/trainee-account-refresh.ts';
import { labBoxUnavailable, ssh, startConsoleForBox, startLabBox, type LabBox } from './lab-box-fixture.ts';

const run = promisify(execFile);

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
      // A key of the shop's (its queue's prefix), set as the lab's own Redis user.
      redisKey = `${box.shop.queuePrefix}:${trainee.name}`;
      const redis = new Redis(box.redisAdminUrl);
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

    it("when the trainee runs `lab restart api`, then it is the training API's restart lever (checked and recorded), not the supervisor's control port", async () => {
      const restart = await ssh(box, account.user, account.privateKey, 'lab restart api');
      expect(restart.status).not.toBe(0);
      // This test's training process has no supervisor behind it: the lever says so (a real lab's restarts).
      expect(restart.stderr.trim()).toBe('lab: "restart api" needs the native lab supervisor (SUPERVISOR_URL is not set)');
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

    it("when an account made before a class had a Redis per team lacks its redis-port, then redis-cli says what to run; the lab's next sshd start writes it, even over a symlink the trainee left there", async () => {
      const started = performance.now();
      const portFile = path.join(account.home, '.config', 'firedrill', 'redis-port');
      rmSync(portFile);
      const missing = await ssh(box, account.user, account.privateKey, `redis-cli get ${redisKey}`);
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain('ask the instructor to run `lab restart sshd`');
      // What the sshd's launch runs at `lab up` / `lab restart sshd` (topology/sshd-process.ts).
      expect(refreshTraineeAccounts(box.config, box.places)).toEqual({ refreshed: [account.user], problems: [] });
      expect((await ssh(box, account.user, account.privateKey, `redis-cli get ${redisKey}`)).stdout.trim()).toBe('queue-depth-7');
      const written = statSync(portFile);
      expect([written.mode & 0o777, written.uid]).toEqual([0o600, statSync(account.home).uid]);

      // A trainee's symlink in its own config dir is replaced, never written through (root writes there).
      const rootsFile = path.join(box.config.stateDir, 'roots-file');
      writeFileSync(rootsFile, 'root-only\n', { mode: 0o644 });
      await ssh(box, account.user, account.privateKey, `ln -sf ${rootsFile} ~/.config/firedrill/redis-port`);
      expect(lstatSync(portFile).isSymbolicLink()).toBe(true);
      refreshTraineeAccounts(box.config, box.places);
      expect(readFileSync(rootsFile, 'utf8')).toBe('root-only\n');
      expect([lstatSync(portFile).isFile(), statSync(rootsFile).uid]).toEqual([true, 0]);
      expect((await ssh(box, account.user, account.privateKey, `redis-cli get ${redisKey}`)).stdout.trim()).toBe('queue-depth-7');
      console.log(`redis-port refresh over ssh: ${Math.round(performance.now() - started)} ms`);
    });

    it("when the trainee runs the real redis-cli without the wrapper's user, then Redis refuses it (NOAUTH: the default user is off)", async () => {
      const bare = await ssh(box, account.user, account.privateKey, `/usr/bin/redis-cli -p ${box.config.ports.redis} GET ${redisKey}`);
      expect(bare.stdout + bare.stderr).toMatch(/NOAUTH/);
      expect(bare.stdout).not.toContain('queue-depth-7');
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

    describe("the console's browser terminal", () => {
      let consoleServer: RunningConsole;
      const signIn = async (token: string) => {
        const response = await fetch(`${consoleServer.url}/console/sign-in`, {
          method: 'POST',
          headers: { origin: consoleServer.url, 'content-type': 'application/json' },
          body: JSON.stringify({ token }),
        });
        expect(response.status).toBe(201);
        return response.headers.get('set-cookie')!.split(';')[0]!;
      };
      /** Opens the terminal's WebSocket: the socket once open, or the HTTP status it was refused with. */
      const openTerminal = (headers: Record<string, string>) =>
        new Promise<WebSocket | number>((resolve, reject) => {
          const ws = new WebSocket(`${consoleServer.url.replace('http', 'ws')}/console/terminal`, { headers });
          ws.once('open', () => resolve(ws));
          ws.once('unexpected-response', (_req, response) => resolve(response.statusCode ?? 0));
          ws.once('error', reject);
        });

      beforeAll(async () => {
        consoleServer = await startConsoleForBox(box, 'terminal-test');
      });
      afterAll(() => consoleServer?.close());

      it('when a signed-in trainee opens the terminal and types `echo hello`, then the shell on the lab box answers hello, as its own account', async () => {
        const cookie = await signIn(trainee.token);
        const ws = await openTerminal({ cookie, origin: consoleServer.url });
        expect(ws).toBeInstanceOf(WebSocket);
        const socket = ws as WebSocket;
        let output = '';
        socket.on('message', (chunk) => {
          output += chunk.toString();
        });
        // Typed once the prompt shows, as a person would: what arrives before the shell is ready may be lost.
        await waitFor('the prompt', async () => output.includes(`${account.user}@firedrill:~$`), { timeoutMs: 10_000 });
        const marker = `w${Date.now()}`;
        socket.send(JSON.stringify({ type: 'input', data: `echo hello-${marker}; id -un\n` }));
        await waitFor('hello back through the terminal', async () => /^hello-\w+\r?$/m.test(output) && output.includes(account.user), {
          timeoutMs: 10_000,
        }).catch((err) => {
          throw new Error(`${(err as Error).message}; the terminal showed: ${JSON.stringify(output)} (socket state ${socket.readyState})`);
        });
        expect(output).toMatch(new RegExp(`^hello-${marker}\\r?$`, 'm'));
        socket.close();
        // Typed in the browser, recorded like any other shell line.
        await waitFor(
          'the browser-typed line on the timeline',
          async () => (await shellEvents()).some((e) => e.data.command === `echo hello-${marker}; id -un`),
          { timeoutMs: 10_000 },
        );
      });

      it("when the server at the ssh port is not the lab's (another host key), then the terminal closes without a shell", async () => {
        const impostor = path.join(box.config.stateDir, 'other-host-key');
        await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', impostor]);
        const pinned = await startConsoleForBox(box, 'terminal-test', { SSH_HOST_KEY_FILE: `${impostor}.pub` });
        try {
          const signedIn = await fetch(`${pinned.url}/console/sign-in`, {
            method: 'POST',
            headers: { origin: pinned.url, 'content-type': 'application/json' },
            body: JSON.stringify({ token: trainee.token }),
          });
          const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
          const ws = new WebSocket(`${pinned.url.replace('http', 'ws')}/console/terminal`, { headers: { cookie, origin: pinned.url } });
          let output = '';
          ws.on('message', (chunk) => {
            output += chunk.toString();
          });
          const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
            ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
          );
          expect(closed).toEqual({ code: 1011, reason: 'the lab box did not accept the connection' });
          expect(output).toBe('');
        } finally {
          await pinned.close();
        }
      });

      it('when the WebSocket comes from another origin, without a session, or from the instructor, then the upgrade is refused and no shell opens', async () => {
        const cookie = await signIn(trainee.token);
        expect(await openTerminal({ cookie, origin: 'http://evil.example' })).toBe(403);
        expect(await openTerminal({ cookie })).toBe(403);
        expect(await openTerminal({ origin: consoleServer.url })).toBe(401);
        expect(await openTerminal({ cookie: await signIn(box.instructorToken), origin: consoleServer.url })).toBe(403);
      });
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
