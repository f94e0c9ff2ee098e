import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { exitCodes, type Command } from '../cli/command.ts';
import { labUrls, progress, result } from '../cli/output.ts';
import { assertPortsFree } from '../cli/preflight.ts';
import { stopLab } from '../cli/stop-lab.ts';
import { loadLabConfig, type LabConfig } from '../config/lab-config.ts';
import { ensureConsolePage } from '../setup/console-page.ts';
import { ensureLabBoxTools } from '../setup/lab-box-tools.ts';
import { ensureTools } from '../setup/ensure-tools.ts';
import { prepareLogFile } from '../config/state-dir-permissions.ts';
import { controlClient } from '../supervisor/control-client.ts';
import { isAlive, readLabState, readLiveLabState, removeLabState, type LabState } from '../supervisor/lab-state.ts';
import { killStaleChildren } from '../supervisor/leftovers.ts';
import { runSupervisor } from '../supervisor/run-supervisor.ts';
import type { ProcessStatus } from '../supervisor/supervised-process.ts';

const mainScript = fileURLToPath(new URL('../main.ts', import.meta.url));

export const upCommand: Command = {
  name: 'up',
  summary: 'start the lab (Postgres, Redis, Prometheus, payments, api, worker) and print its URLs',
  usage:
    "lab up [--detach] [--teams blue,green,red | --teams N]\n\n  Foreground by default: Ctrl-C stops everything, in reverse start order.\n  --detach, -d  run the supervisor in the background (log: <state>/logs/supervisor.log),\n                return once every process is healthy\n  --teams       a class: one shop per team (names, or N → blue, green, red, …) on shared\n                Postgres, Redis, Toxiproxy, Prometheus, chaos, training and console;\n                team k's shop listens on LAB_PORT_BASE + 100·k (same as LAB_TEAMS)",
  options: { detach: { type: 'boolean', short: 'd' }, teams: { type: 'string' } },
  async run({ values, config: configFromEnv }) {
    // --teams is LAB_TEAMS given on the command line: one way in, parsed and checked by the config.
    const config = typeof values.teams === 'string' ? loadLabConfig({ ...process.env, LAB_TEAMS: values.teams }, configFromEnv.repoRoot) : configFromEnv;
    const running = readLiveLabState(config.stateDir);
    if (running) {
      const services = (await controlClient(running, config).status()).services;
      progress(`lab is already running (supervisor pid ${running.pid}, state ${config.stateDir})`);
      result(labUrls(config, services));
      return exitCodes.ok;
    }
    await clearStaleState(config);

    const setup = ensureTools(() => {});
    if (setup.missing.length > 0) {
      progress(`lab: this machine is missing what the lab needs:\n${setup.missing.map((m) => `  - ${m}`).join('\n')}\nRun \`npx lab setup\` for details.`);
      return exitCodes.failed;
    }
    // The rest of the lab runs without the page; the console then answers 503 page_not_built.
    const page = ensureConsolePage(() => {});
    if (page) progress(`lab: ${page}`);
    // As root: the SSH lab box's packages (the lab runs without its sshd when they cannot be had).
    const labBox = ensureLabBoxTools(() => {});
    if (labBox) progress(`lab: no SSH lab box: ${labBox}`);
    await assertPortsFree(config);
    return values.detach ? upDetached(config) : upForeground(config);
  },
};

/** A lab.json whose supervisor is dead: kill any child it left behind, then forget it. */
async function clearStaleState(config: LabConfig): Promise<void> {
  const stale = readLabState(config.stateDir);
  if (!stale || isAlive(stale.pid)) return;
  const killed = killStaleChildren(stale, config);
  if (killed.length > 0) progress(`stopped ${killed.length} process(es) left by a lab that died: ${killed.join(', ')}`);
  // Their ports are free only once they are really gone.
  for (let i = 0; i < 100 && killed.some(isAlive); i++) await sleep(50);
  removeLabState(config.stateDir);
}

async function upForeground(config: LabConfig): Promise<number> {
  const started = Date.now();
  const log = (message: string) => progress(`${new Date().toISOString().slice(11, 23)} ${message}`);
  const { supervisor, stopped } = await runSupervisor(config, log);
  const slow = setTimeout(
    () => progress(`lab: not everything is healthy after ${config.upTimeoutMs / 1000} s; \`npx lab status\` shows which process, its log says why`),
    config.upTimeoutMs,
  );
  void supervisor.whenAllRunning().then(async () => {
    clearTimeout(slow);
    progress(`\nlab is up in ${((Date.now() - started) / 1000).toFixed(1)} s (Ctrl-C stops it)`);
    result(labUrls(config, await supervisor.status()));
  });
  await stopped;
  clearTimeout(slow);
  return exitCodes.ok;
}

async function upDetached(config: LabConfig): Promise<number> {
  const started = Date.now();
  mkdirSync(config.logsDir, { recursive: true });
  const logFile = path.join(config.logsDir, 'supervisor.log');
  prepareLogFile(logFile); // the lab's user's only, like every log but the shop's
  const out = openSync(logFile, 'a');
  // Own session (detached): the supervisor outlives this command and its terminal.
  const child = spawn(process.execPath, [mainScript, 'supervise'], {
    detached: true,
    stdio: ['ignore', out, out],
    cwd: config.repoRoot,
    env: { ...process.env, ...(config.teams.length > 0 && { LAB_TEAMS: config.teams.join(',') }) },
  });
  child.unref();
  closeSync(out);
  const supervisorPid = child.pid!;
  progress(`lab: supervisor started (pid ${supervisorPid}); waiting for every process to be healthy`);

  const deadline = Date.now() + config.upTimeoutMs;
  const reported = new Set<string>();
  let last: ProcessStatus[] = [];
  let state: LabState | undefined;
  while (Date.now() < deadline) {
    if (!isAlive(supervisorPid)) {
      progress(`lab: the supervisor exited while starting; its log (${logFile}) ends with:\n${tail(logFile, 15)}`);
      return exitCodes.failed;
    }
    state ??= readLiveLabState(config.stateDir);
    if (state) {
      last = await controlClient(state, config)
        .status()
        .then(
          (s) => s.services,
          () => last,
        );
      for (const s of last) {
        if (s.healthy && !reported.has(s.name)) {
          reported.add(s.name);
          progress(`  ok  ${s.name}`);
        }
      }
      if (last.length > 0 && last.every((s) => s.healthy)) {
        progress(`lab is up in ${((Date.now() - started) / 1000).toFixed(1)} s (stop it with \`npx lab down\`)`);
        result(labUrls(config, last));
        return exitCodes.ok;
      }
    }
    await sleep(250);
  }

  const unhealthy = last.filter((s) => !s.healthy);
  progress(
    `lab: not healthy after ${config.upTimeoutMs / 1000} s:\n` +
      (unhealthy.length > 0
        ? unhealthy.map((s) => `  - ${s.name} (${s.state}): see ${s.logFile}`).join('\n')
        : `  - the supervisor never answered: see ${logFile}`) +
      '\nstopping the lab',
  );
  await stopLab(
    config,
    state ?? { pid: supervisorPid, controlPort: config.ports.supervisor, portBase: config.portBase, startedAt: '', processes: {}, teams: [...config.teams] },
  );
  return exitCodes.failed;
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((l) => `  ${l}`)
      .join('\n');
  } catch {
    return '  (no log)';
  }
}
