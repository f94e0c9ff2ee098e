import type { LabConfig } from '../config/lab-config.ts';
import { secureStateDir } from '../config/state-dir-permissions.ts';
import { startControlServer } from './control-server.ts';
import { labProcesses } from '../topology/lab-processes.ts';
import { shopSourceDirs, strippedSourcesDir, writeStrippedSources } from '../runtime/stripped-sources.ts';
import { Supervisor } from './supervisor.ts';
import { ensureSupervisorToken } from './supervisor-token.ts';

export interface RunningSupervisor {
  supervisor: Supervisor;
  /** Resolves once everything has stopped and the control server is closed. */
  stopped: Promise<void>;
}

/**
 * Starts the supervisor in this process: control API first (so the CLI can reach it), then
 * every lab process. SIGINT/SIGTERM/SIGHUP or POST /shutdown stop it in order; a second signal
 * kills everything at once for someone who cannot wait.
 */
export async function runSupervisor(config: LabConfig, log: (message: string) => void): Promise<RunningSupervisor> {
  // Before any secret is generated or process started: each is then created with its mode.
  secureStateDir(config);
  // Before the shop's processes start: each runs its TypeScript from this cache (decision 0001).
  const stripStart = performance.now();
  const stripped = writeStrippedSources(strippedSourcesDir(config.stateDir), shopSourceDirs(config.repoRoot));
  const stripMs = Math.round(performance.now() - stripStart);
  log(`supervisor: the shop's sources stripped of their types (${stripped.stripped} of ${stripped.entries} files new) in ${stripMs} ms`);
  const supervisor = new Supervisor(config, labProcesses(config), log);
  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));

  const server = await startControlServer(supervisor, config.ports.supervisor, ensureSupervisorToken(config), () => void stop('lab down'));
  const stop = async (reason: string) => {
    await supervisor.shutdown(reason);
    server.close();
    server.closeAllConnections();
    markStopped();
  };

  let signals = 0;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (++signals > 1) {
        log(`supervisor: ${signal} again: killing every process now`);
        supervisor.killAll();
        process.exit(130);
      }
      void stop(signal);
    });
  }
  process.on('uncaughtException', (err) => {
    log(`supervisor: unexpected error, stopping the lab: ${err.stack ?? err.message}`);
    void stop('supervisor error').finally(() => process.exit(1));
  });

  log(`supervisor: pid ${process.pid}, control API on http://127.0.0.1:${config.ports.supervisor}, state in ${config.stateDir}`);
  supervisor.start(config.ports.supervisor);
  return { supervisor, stopped };
}
