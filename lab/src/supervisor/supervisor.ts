import type { LabConfig } from '../config/lab-config.ts';
import { removeLabState, writeLabState, type LabState } from './lab-state.ts';
import { readReleaseState, writeReleaseState, type ReleaseState } from './release-state.ts';
import { displayOrder, type ProcessSpec } from '../topology/lab-processes.ts';
import { SupervisedProcess, type ProcessStatus } from './supervised-process.ts';

/** A deploy or a scale the process cannot take (the lab's own processes have no releases). */
export class RefusedChangeError extends Error {
  override name = 'RefusedChangeError';
}

export class UnknownProcessError extends Error {
  override name = 'UnknownProcessError';
  readonly known: string[];
  constructor(name: string, known: string[]) {
    super(`no process named "${name}"; the lab runs: ${known.join(', ')}`);
    this.known = known;
  }
}

/**
 * The long-running owner of every lab process: starts each once its dependencies are healthy,
 * restarts crashed ones, answers status, and stops everything in reverse start order.
 */
export class Supervisor {
  readonly processes: SupervisedProcess[];
  private readonly config: LabConfig;
  private readonly log: (message: string) => void;
  private readonly pids: Record<string, number> = {};
  private state: LabState | undefined;
  private shutdownPromise: Promise<void> | undefined;
  private readonly releases: ReleaseState;
  private readonly hooks: ConstructorParameters<typeof SupervisedProcess>[2];

  constructor(config: LabConfig, specs: ProcessSpec[], log: (message: string) => void) {
    this.config = config;
    this.log = log;
    this.hooks = {
      log,
      shuttingDown: () => this.shutdownPromise !== undefined,
      pidChanged: (name: string, pid: number | null) => {
        if (pid === null) delete this.pids[name];
        else this.pids[name] = pid;
        this.saveState();
      },
    };
    this.processes = specs.map((spec) => new SupervisedProcess(spec, config.logsDir, this.hooks));
    // Releases and scale outlive the supervisor: a lab brought up again runs what it ran.
    this.releases = readReleaseState(config.stateDir);
    for (const [name, count] of Object.entries(this.releases.scale)) {
      const base = this.processes.find((p) => p.spec.name === name);
      if (base?.spec.scalable) this.addReplicas(base, Math.min(count, base.spec.scalable.max));
    }
    for (const proc of this.processes) this.applyVersion(proc);
  }

  get shuttingDown(): boolean {
    return this.shutdownPromise !== undefined;
  }

  /** Records lab.json (so the CLI can find us) and starts every process as its dependencies allow. */
  start(controlPort: number): void {
    this.state = {
      pid: process.pid,
      controlPort,
      portBase: this.config.portBase,
      startedAt: new Date().toISOString(),
      teams: [...this.config.teams],
      processes: this.pids,
    };
    this.saveState();
    for (const proc of this.processes) {
      void (async () => {
        await Promise.all(proc.spec.dependsOn.map((name) => this.get(name).whenRunning()));
        if (!this.shuttingDown) proc.start();
      })();
    }
  }

  /** Resolves once every process has been healthy. */
  async whenAllRunning(): Promise<void> {
    await Promise.all(this.processes.map((proc) => proc.whenRunning()));
  }

  async status(): Promise<ProcessStatus[]> {
    const statuses = await Promise.all(this.processes.map((proc) => proc.status()));
    const order = displayOrder(this.processes.map((proc) => proc.spec));
    return order.map((name) => statuses.find((s) => s.name === name)!);
  }

  async restart(name: string): Promise<void> {
    if (this.shuttingDown) throw new Error('the lab is shutting down');
    await this.get(name).restart();
  }

  /**
   * Restarts a shop service (and its replicas) on `version`: SERVICE_VERSION is set for every
   * later start too, until another deploy. Resolves once they are restarted, not yet healthy.
   */
  async deploy(name: string, version: string): Promise<SupervisedProcess[]> {
    if (this.shuttingDown) throw new Error('the lab is shutting down');
    const base = this.get(name);
    if (!base.spec.versioned) throw new RefusedChangeError(`${name} is part of the lab, not a shop service with releases`);
    this.releases.versions[name] = version;
    writeReleaseState(this.config.stateDir, this.releases);
    const instances = this.instancesOf(name);
    this.log(`${name}: deploying ${version} (${instances.map((p) => p.spec.name).join(', ')})`);
    for (const proc of instances) {
      this.applyVersion(proc);
      await proc.restart();
    }
    return instances;
  }

  /**
   * Runs `count` processes of a scalable service: replicas are added (and started) or removed
   * (and stopped), newest first. Resolves once the new ones are started, not yet healthy.
   */
  async scale(name: string, count: number): Promise<SupervisedProcess[]> {
    if (this.shuttingDown) throw new Error('the lab is shutting down');
    const base = this.get(name);
    const scalable = base.spec.scalable;
    if (!scalable)
      throw new RefusedChangeError(
        `${name} does not scale; only ${this.processes
          .filter((p) => p.spec.scalable)
          .map((p) => p.spec.name)
          .join(', ')} does`,
      );
    if (!Number.isInteger(count) || count < 1 || count > scalable.max)
      throw new RefusedChangeError(`${name} runs 1 to ${scalable.max} processes, not ${count}`);
    const current = this.instancesOf(name);
    if (count < current.length) {
      const surplus = current.slice(count).reverse();
      for (const proc of surplus) await proc.stop();
      this.processes.splice(0, this.processes.length, ...this.processes.filter((p) => !surplus.includes(p)));
    } else {
      for (const proc of this.addReplicas(base, count)) {
        this.applyVersion(proc);
        proc.start();
      }
    }
    this.releases.scale[name] = count;
    writeReleaseState(this.config.stateDir, this.releases);
    this.log(`${name}: scaled to ${count} process${count === 1 ? '' : 'es'}`);
    return this.instancesOf(name);
  }

  /** A service and its replicas (worker, worker-2, …), in order. */
  instancesOf(name: string): SupervisedProcess[] {
    return this.processes.filter((p) => p.spec.name === name || p.replicaOf === name);
  }

  /** Adds replicas 2…count that do not exist yet, after the last instance; returns the new ones. */
  private addReplicas(base: SupervisedProcess, count: number): SupervisedProcess[] {
    const existing = this.instancesOf(base.spec.name);
    const added: SupervisedProcess[] = [];
    for (let index = existing.length + 1; index <= count; index++) {
      const proc = new SupervisedProcess(base.spec.scalable!.replica(index), this.config.logsDir, this.hooks);
      proc.replicaOf = base.spec.name;
      added.push(proc);
    }
    const last = this.processes.indexOf(existing.at(-1)!);
    this.processes.splice(last + 1, 0, ...added);
    return added;
  }

  private applyVersion(proc: SupervisedProcess): void {
    const version = this.releases.versions[proc.replicaOf ?? proc.spec.name];
    if (proc.spec.versioned && version) proc.envOverrides = { ...proc.envOverrides, SERVICE_VERSION: version };
  }

  /** Stops every process in reverse start order, then forgets lab.json. Repeated calls share one shutdown. */
  shutdown(reason: string): Promise<void> {
    this.shutdownPromise ??= (async () => {
      this.log(`supervisor: shutting down (${reason})`);
      for (const proc of [...this.processes].reverse()) {
        try {
          await proc.stop();
        } catch (err) {
          this.log(`${proc.spec.name}: stop failed: ${(err as Error).message}`);
        }
      }
      removeLabState(this.config.stateDir);
      this.log('supervisor: every process stopped');
    })();
    return this.shutdownPromise;
  }

  /** A second Ctrl-C: no more waiting. */
  killAll(): void {
    for (const proc of this.processes) proc.kill();
    removeLabState(this.config.stateDir);
  }

  get(name: string): SupervisedProcess {
    const proc = this.processes.find((p) => p.spec.name === name);
    if (!proc)
      throw new UnknownProcessError(
        name,
        this.processes.map((p) => p.spec.name),
      );
    return proc;
  }

  private saveState(): void {
    if (this.state && !this.shuttingDown) writeLabState(this.config.stateDir, { ...this.state, processes: { ...this.pids } });
  }
}
