import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { freePortBlock, type StatusEntry } from '@firedrill/lab-infra';

const repo = path.resolve(import.meta.dirname, '..', '..');
const cli = path.join(repo, 'lab', 'src', 'main.ts');

/**
 * A class lab of the bench's own (`lab up --detach --teams N`): its own state dir, emptied first,
 * and its own block of ports, so a lab someone else runs is left alone. Driven through the real
 * `lab` CLI, as a class's instructor would.
 */
export interface ClassLab {
  stateDir: string;
  portBase: number;
  teams: string[];
  upSeconds: number;
  status: StatusEntry[];
  /** The team's api, where its shoppers (k6) go. */
  apiUrl(team: string): string;
  /** The team's shop database, as the lab's Postgres superuser (its password from the lab's secrets). */
  shopDatabaseUrl(team: string): string;
}

/** What has to be torn down if the bench stops now: the lab, a `lab up` still running, k6s. */
const live = { stateDir: undefined as string | undefined, env: {} as NodeJS.ProcessEnv, up: undefined as ChildProcess | undefined, k6Pids: new Set<number>() };

function labEnv(stateDir: string, portBase: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LAB_STATE_DIR: stateDir,
    LAB_PORT_BASE: String(portBase),
    // Many teams start on a busy 2-core machine: give them longer than a single lab's 60 s.
    LAB_UP_TIMEOUT_SECONDS: process.env.LAB_UP_TIMEOUT_SECONDS ?? '240',
  };
  delete env.LAB_TEAMS; // the count comes from --teams only
  return env;
}

export async function upClassLab(stateDir: string, teamCount: number, portBase?: number): Promise<ClassLab> {
  tearDownClassLab(); // a previous step's lab, if any
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  chmodSync(stateDir, 0o755); // Postgres runs as its own user when we are root: it must reach its data dir
  const base = portBase ?? (await freePortBlock(teamCount));
  const env = labEnv(stateDir, base);
  Object.assign(live, { stateDir, env });
  const started = performance.now();
  const up = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [cli, 'up', '--detach', '--teams', String(teamCount)], { env, cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
    live.up = child;
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('close', (code) => resolve({ code, stderr }));
  });
  live.up = undefined;
  if (up.code !== 0) throw new Error(`lab up --teams ${teamCount} failed (${up.code}):\n${up.stderr.slice(-3000)}`);
  const upSeconds = (performance.now() - started) / 1000;
  const status = (JSON.parse(execFileSync(process.execPath, [cli, 'status', '--json'], { env, cwd: repo, encoding: 'utf8' })) as { services: StatusEntry[] })
    .services;
  const teams = [...new Set(status.flatMap((s) => (s.team ? [s.team] : [])))];
  const postgres = status.find((s) => s.name === 'postgres')!;
  const password = readFileSync(path.join(stateDir, 'secrets', 'postgres-password'), 'utf8').trim();
  return {
    stateDir,
    portBase: base,
    teams,
    upSeconds,
    status,
    apiUrl: (team) => status.find((s) => s.name === `${team}-api`)!.url,
    shopDatabaseUrl: (team) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${postgres.port}/shop_${team}`,
  };
}

/** A k6 the bench started: killed with the lab if the bench stops early (forgotten once it has exited, so a reused pid is never hit). */
export function trackK6(k6: { pid: number; exited: Promise<unknown> }): void {
  if (k6.pid <= 0) return;
  live.k6Pids.add(k6.pid);
  void k6.exited.then(() => live.k6Pids.delete(k6.pid));
}

/**
 * Stops everything the bench started, synchronously (so it also works from an 'exit' hook and
 * a signal handler): k6s first (no load on a lab going down), a `lab up` still starting, then
 * `lab down` and the state dir. Safe to call more than once.
 */
export function tearDownClassLab(): void {
  for (const pid of live.k6Pids) {
    try {
      process.kill(-pid, 'SIGKILL'); // k6 runs in a process group of its own
    } catch {
      // already gone
    }
  }
  live.k6Pids.clear();
  live.up?.kill('SIGTERM');
  live.up = undefined;
  const stateDir = live.stateDir;
  if (!stateDir) return;
  live.stateDir = undefined;
  try {
    execFileSync(process.execPath, [cli, 'down'], { env: live.env, cwd: repo, stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 });
  } catch (err) {
    // Keep the state dir: its lab.json is how `lab down` finds what still runs.
    console.error(`lab down failed: ${(err as Error).message}\nrun LAB_STATE_DIR=${stateDir} npm run lab -- down`);
    return;
  }
  rmSync(stateDir, { recursive: true, force: true });
}

/** Tears the lab down however the bench ends: done, thrown, Ctrl-C, kill. */
export function tearDownOnExit(): void {
  process.on('exit', tearDownClassLab);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: tearing the bench's lab down`);
      tearDownClassLab();
      process.exit(130);
    });
  }
}
