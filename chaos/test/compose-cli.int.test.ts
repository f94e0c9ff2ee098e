import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@firedrill/kit';
import { freePort, startManagedProcess, toolsBinDir, waitFor, which, type ManagedProcess } from '@firedrill/lab-infra';
import { createTestDatabase } from '@firedrill/lab-infra/testing';
import { controllerConfigSchema, ensureTokenFile, startController } from '../src/index.ts';

/**
 * chaos/src/cli/main.ts, the fault controls an instructor runs inside the controller's container
 * under Docker Compose: it finds the controller and the instructor token from the container's own
 * environment. Run here as its own process against a real controller (real Postgres), and a real
 * Toxiproxy started the way compose starts it: with -config and compose/toxiproxy.json, its
 * addresses moved to free loopback ports (the controller needs those proxies for every fault).
 */
const run = promisify(execFile);
const cli = path.join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');
const dir = mkdtempSync(path.join(os.tmpdir(), 'chaos-cli-'));
chmodSync(dir, 0o755);
const tokenFiles = {
  INSTRUCTOR_TOKEN_FILE: path.join(dir, 'instructor-token'),
  AGENT_TOKEN_FILE: path.join(dir, 'agent-token'),
};
for (const file of Object.values(tokenFiles)) ensureTokenFile(file);

let toxiproxy: ManagedProcess;
let toxiproxyUrl: string;
const composeProxies = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'compose', 'toxiproxy.json'), 'utf8')) as Array<{
  name: string;
  listen: string;
  upstream: string;
}>;

async function startToxiproxyFromComposeConfig(): Promise<void> {
  const bin = which('toxiproxy-server', [toolsBinDir()]);
  if (!bin) throw new Error('toxiproxy-server not found: run `npx lab setup`');
  const proxies = [];
  for (const proxy of composeProxies) proxies.push({ ...proxy, listen: `127.0.0.1:${await freePort()}`, upstream: `127.0.0.1:${await freePort()}` });
  const configFile = path.join(dir, 'toxiproxy.json');
  writeFileSync(configFile, JSON.stringify(proxies));
  const port = await freePort();
  toxiproxyUrl = `http://127.0.0.1:${port}`;
  toxiproxy = startManagedProcess({
    name: 'toxiproxy',
    command: bin,
    args: ['-host', '127.0.0.1', '-port', String(port), `-config=${configFile}`],
    logFile: path.join(dir, 'toxiproxy.log'),
  });
  await waitFor(
    'toxiproxy with the compose proxies',
    async () => {
      const response = await fetch(`${toxiproxyUrl}/proxies`, { signal: AbortSignal.timeout(500) });
      return response.ok && Object.keys((await response.json()) as object).length === composeProxies.length;
    },
    { timeoutMs: 15_000 },
  );
}
let controller: Awaited<ReturnType<typeof startController>>;
/** The controller container's environment, as compose sets it (host and port of the controller). */
let containerEnv: Record<string, string>;

beforeAll(async () => {
  await startToxiproxyFromComposeConfig();
  const config = controllerConfigSchema.parse({
    PORT: '0',
    LAB_DATABASE_URL: await createTestDatabase('lab'),
    TOXIPROXY_URL: toxiproxyUrl,
    ...tokenFiles,
  });
  controller = await startController(config, { logger: createLogger('chaos-cli-test', 'silent') });
  containerEnv = { PATH: process.env.PATH ?? '', PORT: String(controller.port), ...tokenFiles };
});

afterAll(async () => {
  await controller?.close();
  await toxiproxy?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function chaos(args: string[], env = containerEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failure = err as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('chaos/src/cli/main.ts (fault controls inside the controller container)', () => {
  it('when Toxiproxy starts with the compose config file, then it serves every proxy the file names', async () => {
    const proxies = (await (await fetch(`${toxiproxyUrl}/proxies`)).json()) as Record<string, { enabled: boolean }>;
    expect(Object.keys(proxies).sort()).toEqual(composeProxies.map((p) => p.name).sort());
    expect(Object.values(proxies).every((proxy) => proxy.enabled)).toBe(true);
  });

  it('when an instructor injects a network fault, then the controller acts on the compose-named proxy', async () => {
    const injected = await chaos(['inject', 'database-loss', '--mode', 'refused', '--for', '1m']);
    expect(injected.code, injected.stdout + injected.stderr).toBe(0);
    const proxy = (await (await fetch(`${toxiproxyUrl}/proxies/postgres`)).json()) as { enabled: boolean };
    expect(proxy.enabled).toBe(false);
    expect((await chaos(['halt'])).code).toBe(0);
  });

  it('when an instructor injects a fault, then it is listed, journalled under the compose instructor, and halted', async () => {
    const injected = await chaos(['inject', 'latency', '--target', 'api', '--ms', '300', '--for', '5m']);
    expect(injected.code, injected.stdout + injected.stderr).toBe(0);
    const id = injected.stdout.split(/\s+/)[0]!;

    const listed = await chaos(['list']);
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain('latency api');

    const journal = await chaos(['journal', '--json']);
    const entries = JSON.parse(journal.stdout).entries as Array<{ faultId: string; actor: string; action: string }>;
    expect(entries.find((entry) => entry.faultId === id)).toMatchObject({ actor: 'instructor@compose' });

    expect((await chaos(['halt'])).stdout).toMatch(/halted: [1-9]\d* fault\(s\) cleared/);
    expect((await chaos(['list'])).stdout).toBe('no active faults\n');
  });

  it('when run with no command, then it prints its usage and succeeds', async () => {
    const result = await chaos([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: node chaos/src/cli/main.ts');
  });

  it('when the container has no instructor token file set, then it exits 2 naming the variable', async () => {
    const { INSTRUCTOR_TOKEN_FILE: _omitted, ...env } = containerEnv;
    const result = await chaos(['list'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('INSTRUCTOR_TOKEN_FILE');
  });
});
