import type { Logger } from '@firedrill/kit';
import { flagCatalogue, isFlagName } from '../flags/flag-catalogue.ts';
import type { FlagStore } from '../flags/flag-store.ts';
import { baselineVersion, shopServices, type ShopService } from '../releases/release-history.ts';
import type { ReleaseService } from '../releases/release-service.ts';
import type { SupervisorClient } from '../releases/supervisor-client.ts';
import type { ChaosClient } from './chaos-client.ts';
import { killLeftoverLoad } from './leftover-load.ts';
import type { RunRecord } from './run-store.ts';

export interface CleanupDeps {
  chaos: Pick<ChaosClient, 'clear' | 'clearRelease' | 'halt'>;
  releases: Pick<ReleaseService, 'current' | 'rollback'>;
  /** The native supervisor, to check what really runs; absent in Docker Compose. */
  supervisor: Pick<SupervisorClient, 'status' | 'deploy'> | undefined;
  flags: Pick<FlagStore, 'set'>;
  logger: Logger;
  /** The supervisor's name of the run's shop's process for a service (a class's `blue-payments`); default: the service's. */
  processName?: (service: ShopService) => string;
  /** Kills k6 processes tagged with the run (default: by /proc). */
  killLoad?: (runId: string) => number[];
}

/** Who cleanup says it is, in the events and in the chaos controller's journal. */
export const cleanupActor = 'training:cleanup';

const isShopService = (name: string): name is ShopService => (shopServices as readonly string[]).includes(name);

/**
 * Undoes what a run did, from its cleanup list, whether the run ended normally or the training
 * process died during it: clears its faults (halts when an injection's outcome is unknown), rolls
 * the services it deployed back to the baseline, puts the flags it changed back to their defaults,
 * and stops its load. Every step runs even when another fails; the problems are returned.
 */
export async function cleanUpRun(run: RunRecord, deps: CleanupDeps, load?: { stop(graceMs?: number): Promise<unknown> }): Promise<string[]> {
  const problems: string[] = [];
  const step = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      problems.push(`${what}: ${(err as Error).message}`);
      deps.logger.error({ err, runId: run.id, step: what }, 'run cleanup step failed');
    }
  };
  const deployed = run.cleanup.deployed.filter(isShopService);

  for (const id of run.cleanup.faults) await step(`clear fault ${id}`, () => deps.chaos.clear(id, cleanupActor));
  for (const service of deployed) await step(`clear faults bound to ${service}'s releases`, () => deps.chaos.clearRelease(service, cleanupActor));
  if (run.cleanup.faultsUnsure) await step('halt (an injection had an unknown outcome)', () => deps.chaos.halt(cleanupActor));

  for (const service of deployed) {
    await step(`roll ${service} back to ${baselineVersion}`, async () => {
      // Each rollback takes one release off the history, so the history ends where it began.
      for (let i = 0; i < 10 && (await deps.releases.current())[service] !== baselineVersion; i++) await deps.releases.rollback(service, cleanupActor);
    });
  }
  if (deps.supervisor && deployed.length > 0) {
    const supervisor = deps.supervisor;
    // A crash between the supervisor's deploy and the release's commit leaves a version the history
    // does not know: what really runs is what counts.
    await step('check the versions that run', async () => {
      const { services } = await supervisor.status();
      for (const service of deployed) {
        const name = deps.processName?.(service) ?? service;
        const process = services.find((p) => p.name === name);
        if (process?.version && process.version !== baselineVersion) await supervisor.deploy(name, baselineVersion);
      }
    });
  }

  for (const name of run.cleanup.flags) {
    if (!isFlagName(name)) continue;
    await step(`restore flag ${name}`, () => deps.flags.set(name, flagCatalogue[name].default, cleanupActor));
  }

  if (load) await step('stop the load', () => load.stop(5_000));
  await step('kill leftover k6', async () => (deps.killLoad ?? killLeftoverLoad)(run.id));
  return problems;
}
