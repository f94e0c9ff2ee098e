import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startManagedProcess, type ManagedProcess } from '@firedrill/lab-infra';
import type { Launch, ProcessSpec } from '../topology/process-spec.ts';
import { baselineVersion } from '@firedrill/training';
import { prepareLogFile } from '../config/state-dir-permissions.ts';
import { nextCrashStreak, restartDelayMs } from './restart-backoff.ts';

export type ProcessState =
  | 'waiting' // for its dependencies
  | 'starting' // running, not yet healthy
  | 'running' // has been healthy since it started
  | 'backoff' // crashed; restarts when the backoff ends
  | 'stopping'
  | 'stopped' // stopped by the lab
  | 'exited' // exited 0 on its own: stays down until someone restarts it
  | 'failed'; // crashed and its policy says not to restart

export interface ProcessStatus {
  name: string;
  kind: ProcessSpec['kind'];
  /** The team whose shop it belongs to in a class; null for the shared planes and the single lab. */
  team: string | null;
  url: string;
  port: number;
  pid: number | null;
  state: ProcessState;
  healthy: boolean;
  uptimeSeconds: number | null;
  restarts: number;
  /** The release a shop service runs (SERVICE_VERSION); null for the lab's own processes. */
  version: string | null;
  logFile: string;
  lastExit: { code: number | null; signal: string | null; at: string } | null;
  nextRestartAt: string | null;
}

export interface SupervisedProcessHooks {
  log(message: string): void;
  /** Called with the new pid after every spawn, and with null when the process is gone. */
  pidChanged(name: string, pid: number | null): void;
  shuttingDown(): boolean;
}

const stopGraceMs = 10_000;
const healthPollMs = 200;

/** One process of the lab: starts it, watches its health, restarts it after a crash. */
export class SupervisedProcess {
  readonly spec: ProcessSpec;
  readonly logFile: string;
  state: ProcessState = 'waiting';
  restarts = 0;
  /** For a replica (worker-2): the service it is a copy of. */
  replicaOf: string | undefined;
  /** Set by the supervisor (a deployed version): added to the launch's environment at every start. */
  envOverrides: Record<string, string> = {};
  private readonly hooks: SupervisedProcessHooks;
  private current: ManagedProcess | undefined;
  private startedAt = 0;
  private generation = 0;
  private crashStreak = 0;
  private stopRequested = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private nextRestartAt: number | undefined;
  private lastExit: ProcessStatus['lastExit'] = null;
  private runningWaiters: Array<() => void> = [];

  constructor(spec: ProcessSpec, logsDir: string, hooks: SupervisedProcessHooks) {
    this.spec = spec;
    this.logFile = path.join(logsDir, `${spec.name}.log`);
    this.hooks = hooks;
  }

  get pid(): number | null {
    return this.current?.pid ?? null;
  }

  /** Resolves once the process has been healthy (now or later). */
  whenRunning(): Promise<void> {
    if (this.state === 'running') return Promise.resolve();
    return new Promise((resolve) => this.runningWaiters.push(resolve));
  }

  start(): void {
    const generation = ++this.generation;
    this.stopRequested = false;
    this.nextRestartAt = undefined;
    let launch: Launch;
    try {
      launch = this.spec.launch();
    } catch (err) {
      this.hooks.log(`${this.spec.name}: could not prepare to start: ${(err as Error).message}`);
      this.onExit(generation, { code: 1, signal: null });
      return;
    }
    const env = launch.env || Object.keys(this.envOverrides).length > 0 ? { ...launch.env, ...this.envOverrides } : undefined;
    prepareLogFile(this.logFile); // readable by trainees only when it is a shop service's
    const proc = startManagedProcess({ name: this.spec.name, ...launch, ...(env && { env }), logFile: this.logFile, detached: true });
    this.current = proc;
    this.startedAt = Date.now();
    this.state = 'starting';
    this.hooks.log(`${this.spec.name}: started (pid ${proc.pid})`);
    this.hooks.pidChanged(this.spec.name, proc.pid);
    void proc.exited.then((exit) => this.onExit(generation, exit));
    void this.watchUntilHealthy(generation);
  }

  async stop(): Promise<void> {
    this.stopRequested = true;
    clearTimeout(this.restartTimer);
    this.nextRestartAt = undefined;
    const proc = this.current;
    if (!proc) {
      if (this.state === 'waiting' || this.state === 'backoff') this.state = 'stopped';
      return;
    }
    this.state = 'stopping';
    this.hooks.log(`${this.spec.name}: stopping (pid ${proc.pid})`);
    await proc.stop(stopGraceMs);
  }

  /** Stop (if running) and start again at once, whatever state it was in. */
  async restart(): Promise<void> {
    await this.stop();
    this.crashStreak = 0;
    this.restarts++;
    this.start();
  }

  /** Last resort when the supervisor itself must go now. */
  kill(): void {
    clearTimeout(this.restartTimer);
    this.stopRequested = true;
    this.current?.child.kill('SIGKILL');
  }

  async status(): Promise<ProcessStatus> {
    const alive = this.current !== undefined && (this.state === 'starting' || this.state === 'running');
    return {
      name: this.spec.name,
      kind: this.spec.kind,
      team: this.spec.team ?? null,
      url: this.spec.url,
      port: this.spec.port,
      pid: this.pid,
      state: this.state,
      // One slow probe on a busy 2-core machine is not an outage: a second try must fail too.
      healthy: alive ? (await this.spec.health()) || (await this.spec.health()) : false,
      uptimeSeconds: this.current ? Math.floor((Date.now() - this.startedAt) / 1000) : null,
      restarts: this.restarts,
      version: this.spec.versioned ? (this.envOverrides.SERVICE_VERSION ?? baselineVersion) : null,
      logFile: this.logFile,
      lastExit: this.lastExit,
      nextRestartAt: this.nextRestartAt ? new Date(this.nextRestartAt).toISOString() : null,
    };
  }

  private async watchUntilHealthy(generation: number): Promise<void> {
    const stillStarting = () => generation === this.generation && this.state === 'starting';
    while (stillStarting()) {
      if (await this.spec.health()) {
        try {
          await this.spec.afterHealthy?.();
        } catch (err) {
          this.hooks.log(`${this.spec.name}: healthy, but set-up failed (will retry): ${(err as Error).message}`);
          await sleep(1_000);
          continue;
        }
        if (!stillStarting()) return;
        this.state = 'running';
        this.hooks.log(`${this.spec.name}: healthy at ${this.spec.url}`);
        for (const resolve of this.runningWaiters.splice(0)) resolve();
        return;
      }
      await sleep(healthPollMs);
    }
  }

  private onExit(generation: number, exit: { code: number | null; signal: NodeJS.Signals | null }): void {
    if (generation !== this.generation) return;
    const uptimeMs = this.current ? Date.now() - this.startedAt : 0;
    this.current = undefined;
    this.lastExit = { code: exit.code, signal: exit.signal, at: new Date().toISOString() };
    this.hooks.pidChanged(this.spec.name, null);
    const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;

    if (this.stopRequested) {
      this.state = 'stopped';
      this.hooks.log(`${this.spec.name}: stopped (${how})`);
      return;
    }
    if (exit.code === 0) {
      // A clean exit is a decision (e.g. a fault that makes the worker "stay down"), not a crash.
      this.state = 'exited';
      this.hooks.log(`${this.spec.name}: exited with code 0; it stays down until \`lab restart ${this.spec.name}\``);
      return;
    }
    if (!this.spec.restartOnCrash || this.hooks.shuttingDown()) {
      this.state = 'failed';
      this.hooks.log(`${this.spec.name}: crashed (${how}); see ${this.logFile}`);
      return;
    }
    this.crashStreak = nextCrashStreak(this.crashStreak, uptimeMs);
    const delayMs = restartDelayMs(this.crashStreak);
    this.state = 'backoff';
    this.nextRestartAt = Date.now() + delayMs;
    this.hooks.log(`${this.spec.name}: crashed (${how}) after ${Math.round(uptimeMs / 1000)} s; restarting in ${delayMs / 1000} s (see ${this.logFile})`);
    this.restartTimer = setTimeout(() => {
      if (this.hooks.shuttingDown() || this.stopRequested) return;
      this.restarts++;
      this.start();
    }, delayMs);
  }
}
