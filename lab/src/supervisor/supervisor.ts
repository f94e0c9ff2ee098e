import type { LabConfig } from '../config/lab-config.ts';
import { removeLabState, writeLabState, type LabState } from './lab-state.ts';
import { displayOrder, type ProcessSpec } from '../topology/lab-processes.ts';
import { SupervisedProcess, type ProcessStatus } from './supervised-process.ts';

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

  constructor(config: LabConfig, specs: ProcessSpec[], log: (message: string) => void) {
    this.config = config;
    this.log = log;
    const hooks = {
      log,
      shuttingDown: () => this.shutdownPromise !== undefined,
      pidChanged: (name: string, pid: number | null) => {
        if (pid === null) delete this.pids[name];
        else this.pids[name] = pid;
        this.saveState();
      },
    };
    this.processes = specs.map((spec) => new SupervisedProcess(spec, config.logsDir, hooks));
  }

  get shuttingDown(): boolean {
    return this.shutdownPromise !== undefined;
  }

  /** Records lab.json (so the CLI can find us) and starts every process as its dependencies allow. */
  start(controlPort: number): void {
    this.state = { pid: process.pid, controlPort, portBase: this.config.portBase, startedAt: new Date().toISOString(), processes: this.pids };
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
