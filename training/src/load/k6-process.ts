import { spawn, type StdioOptions } from 'node:child_process';
import path from 'node:path';
import { toolsBinDir, which } from '@firedrill/lab-infra';

export interface K6Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface K6Process {
  readonly pid: number;
  /** Resolves once k6 has ended, however it ended. */
  readonly exited: Promise<K6Exit>;
  /**
   * Asks k6 to stop (SIGINT: it ends its scenarios, flushes its outputs and writes its summary),
   * then SIGKILLs its process group after `graceMs`. Safe to call more than once.
   */
  stop(graceMs?: number): Promise<K6Exit>;
}

export interface K6Spawn {
  /** Path of the script (.js or .ts: k6 transpiles TypeScript itself). */
  script: string;
  /** Flags for `k6 run` before the script: outputs, tags, `-e NAME=value`... */
  args?: readonly string[];
  /** k6's own settings (K6_*), added to a minimal environment. */
  env?: Record<string, string>;
  stdio?: StdioOptions;
}

/** k6 exits with this when its thresholds were crossed: the run happened, the shop did badly. */
export const k6ThresholdsCrossed = 99;

/** k6 processes this process started and that are still running, by pid (= their process group). */
const running = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** The parent is going away: take every k6 with it ('exit' handlers must be synchronous; process.kill is). */
function killRunning(): void {
  for (const pid of running) killGroup(pid, 'SIGKILL');
}

const fatalSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * A signal that would kill this process skips 'exit' handlers, and k6, in its own group, gets no
 * signal of its own. When nothing else in the process listens for the signal (which would make it
 * the owner's job to shut down, and its exit runs the 'exit' hook), kill the k6s, then let the
 * signal do what it would have done.
 */
function onFatalSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  killRunning();
  uninstallGuards();
  process.kill(process.pid, signal);
}

/** Installed while a k6 runs only, so an idle process keeps its default signal behaviour. */
function installGuards(): void {
  if (running.size !== 1) return;
  process.on('exit', killRunning);
  for (const signal of fatalSignals) process.on(signal, onFatalSignal);
}

function uninstallGuards(): void {
  process.removeListener('exit', killRunning);
  for (const signal of fatalSignals) process.removeListener(signal, onFatalSignal);
}

/** Where k6 is: the tools dir `lab setup` fills, else PATH. */
export function k6Binary(): string {
  const bin = which('k6', [toolsBinDir()]);
  if (!bin) throw new Error(`k6 not found in ${toolsBinDir()} or on PATH: run \`npx lab setup\``);
  return bin;
}

/**
 * `k6 run` in a process group of its own, so that a Ctrl-C meant for the parent's terminal does
 * not cut it short unflushed and so that stopping it stops everything it started; the group is
 * killed when this process exits or is signalled to death. A parent SIGKILLed can do nothing:
 * k6's own duration is then the bound. No usage report, no extension lookup: the lab runs offline.
 */
export function spawnK6(options: K6Spawn): K6Process {
  const child = spawn(k6Binary(), ['run', ...(options.args ?? []), path.resolve(options.script)], {
    detached: true,
    stdio: options.stdio ?? ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      K6_NO_USAGE_REPORT: 'true',
      K6_AUTO_EXTENSION_RESOLUTION: 'false',
      ...options.env,
    },
  });
  const pid = child.pid;
  const exited = new Promise<K6Exit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: 127, signal: null })); // not started
  });
  if (pid !== undefined) {
    running.add(pid);
    installGuards();
    void exited.then(() => {
      running.delete(pid);
      if (running.size === 0) uninstallGuards();
    });
  }

  let stopping: Promise<K6Exit> | undefined;
  return {
    pid: pid ?? -1,
    exited,
    stop(graceMs = 15_000) {
      stopping ??= (async () => {
        if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return exited;
        killGroup(pid, 'SIGINT');
        const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
        const exit = await exited;
        clearTimeout(timer);
        // k6 spawns nothing, but a leftover in its group must not outlive the run either.
        killGroup(pid, 'SIGKILL');
        return exit;
      })();
      return stopping;
    },
  };
}
