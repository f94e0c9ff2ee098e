import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortBlock, isPortOpen, portsFor } from '@firedrill/lab-infra';
import { repoRoot } from '../../src/config/lab-config.ts';
import { traineeKeyPath, traineeUser } from '../../src/ssh/ssh-paths.ts';
import { labBoxUnavailable, sshTestDir } from './lab-box-fixture.ts';

const cli = path.join(repoRoot, 'lab', 'src', 'main.ts');
// Not under /tmp: sshd refuses keys below a world-writable directory (the lab then runs without its sshd).
const unavailable = labBoxUnavailable;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
const run = (command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Run> =>
  new Promise((resolve) => {
    execFile(command, args, { env, cwd: repoRoot, timeout: 150_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });

/**
 * The SSH lab box in a whole native lab (~30 s): `lab up` starts the lab's sshd with the rest and
 * `lab down` stops it; `lab trainees add` makes the account and prints the key's path (never the
 * key); the trainee's shell reaches the lab; `lab trainees remove` deletes the account.
 */
describe.skipIf(unavailable !== undefined)(`the SSH lab box in a native lab${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const stateDir = sshTestDir('lab-box-');
  let env: NodeJS.ProcessEnv;
  let ports: ReturnType<typeof portsFor>;
  const lab = (...args: string[]) => run(process.execPath, [cli, ...args], env);
  const name = `n${Date.now().toString(36)}`;

  beforeAll(async () => {
    const base = await freePortBlock();
    ports = portsFor(base);
    env = { PATH: process.env.PATH, HOME: process.env.HOME, LAB_STATE_DIR: stateDir, LAB_PORT_BASE: String(base) };
    const up = await lab('up', '--detach');
    if (up.code !== 0) throw new Error(`lab up failed (${up.code}):\n${up.stderr}`);
  }, 150_000);
  afterAll(async () => {
    await lab('trainees', 'remove', name);
    await lab('down');
    rmSync(stateDir, { recursive: true, force: true });
  }, 120_000);

  const ssh = (command: string) =>
    run('ssh', [
      ...['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes'],
      ...['-i', traineeKeyPath(stateDir, name), '-p', String(ports.ssh), `${traineeUser(name)}@127.0.0.1`, command],
    ]);

  it('when the lab is up, then its sshd is one of its processes, healthy on the ssh port', async () => {
    const { services } = JSON.parse((await lab('status', '--json')).stdout) as { services: Array<{ name: string; healthy: boolean; port: number }> };
    expect(services.find((s) => s.name === 'sshd')).toMatchObject({ healthy: true, port: ports.ssh });
  });

  it("when the instructor adds a trainee, then the token is printed alone, the key's path (not the key) is said, and the trainee's shell reaches the lab as the trainee", async () => {
    expect((await lab('teams', 'add', 'blue')).code).toBe(0);
    const added = await lab('trainees', 'add', name, '--team', 'blue');
    expect(added.code).toBe(0);
    expect(added.stdout.trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(added.stderr).toContain(traineeKeyPath(stateDir, name));
    expect(added.stderr).not.toContain('PRIVATE KEY');
    const shell = await ssh('lab whoami; ls ~/logs/ | grep -c "^api.log$"');
    expect(shell.stdout.trim().split('\n')).toEqual([`trainee:${name} (trainee, team blue)`, '1']);
    // The on-call view from the box: the lab's status and a shop service's log (JSON lines).
    const status = await ssh('lab status --json');
    expect((JSON.parse(status.stdout) as { services: Array<{ name: string; healthy: boolean }> }).services.find((s) => s.name === 'api')?.healthy).toBe(true);
    const logs = await ssh('lab logs api | tail -n 1');
    expect(() => JSON.parse(logs.stdout)).not.toThrow();
  });

  it("when the trainee uses psql and redis-cli, then they read the lab's one shop as its read-only accounts, and redis-cli without them gets NOAUTH", async () => {
    const psql = await ssh("psql -Atc 'select current_user, count(*) > 0 from shop.products'");
    expect(psql.stdout.trim()).toBe('shop_readonly|t');
    expect((await ssh('redis-cli ping')).stdout.trim()).toBe('PONG');
    // The queue's keys are the shop's (`firedrill:*`): readable; a key outside them is not.
    expect((await ssh('redis-cli type firedrill:fulfilment:meta')).stdout.trim()).toMatch(/^(hash|none)$/);
    expect((await ssh('redis-cli get other:key')).stdout).toMatch(/NOPERM/);
    expect((await ssh(`/usr/bin/redis-cli -p ${ports.redis} ping`)).stdout).toMatch(/NOAUTH/);
  });

  it('when the instructor removes the trainee, then the account is gone and its key no longer opens a shell; lab down stops the sshd', async () => {
    const removed = await lab('trainees', 'remove', name);
    expect(removed.code).toBe(0);
    expect(removed.stderr).toContain(`SSH account ${traineeUser(name)} deleted`);
    expect(existsSync(path.join('/home', traineeUser(name)))).toBe(false);
    expect((await ssh('true')).code).toBe(255);
    expect((await lab('down')).code).toBe(0);
    expect(await isPortOpen(ports.ssh)).toBe(false);
  });
});
