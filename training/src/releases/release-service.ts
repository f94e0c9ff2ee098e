import type pg from 'pg';
import { HttpProblem } from '@firedrill/kit';
import type { EventStore } from '../events/event-store.ts';
import { trainingProblems } from '../server/training-problems.ts';
import type { DeployMetrics } from './deploy-metrics.ts';
import { currentVersion, rollbackTarget, shopServices, type ReleaseRecord, type ShopService } from './release-history.ts';
import type { ReleaseStore } from './release-store.ts';
import type { SupervisorClient } from './supervisor-client.ts';

export interface ReleaseServiceDeps {
  pool: pg.Pool;
  store: ReleaseStore;
  events: EventStore;
  metrics: DeployMetrics;
  /** Absent where no lab supervisor runs the services (Docker Compose). */
  supervisor: SupervisorClient | undefined;
}

/**
 * Deploys and rollbacks: the supervisor restarts the service on the version, and the release is
 * recorded with its event in the same transaction, committed only once the supervisor has done
 * it, so the history never claims a release that did not happen. One change per service at a time.
 */
export function createReleaseService(deps: ReleaseServiceDeps) {
  const queues = new Map<ShopService, Promise<unknown>>();
  const oneAtATime = <T>(service: ShopService, work: () => Promise<T>): Promise<T> => {
    const next = (queues.get(service) ?? Promise.resolve()).then(work);
    queues.set(
      service,
      next.catch(() => {}),
    );
    return next;
  };

  const supervisor = (): SupervisorClient => {
    if (!deps.supervisor)
      throw new HttpProblem(trainingProblems.lever_unavailable, 'Deploys and rollbacks need the native lab supervisor (SUPERVISOR_URL is not set)');
    return deps.supervisor;
  };

  const release = async (record: Omit<ReleaseRecord, 'id' | 'at'>): Promise<ReleaseRecord> => {
    const client = await deps.pool.connect();
    try {
      await client.query('BEGIN');
      const saved = await deps.store.record(record, client);
      await deps.events.append(
        [{ actor: record.actor, kind: record.action, data: { service: record.service, version: record.version, previousVersion: record.previousVersion } }],
        client,
      );
      await supervisor().deploy(record.service, record.version);
      await client.query('COMMIT');
      deps.metrics.released(saved, saved.version);
      return saved;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  };

  return {
    async current(): Promise<Record<ShopService, string>> {
      const entries = await Promise.all(shopServices.map(async (service) => [service, currentVersion(await deps.store.history(service))] as const));
      return Object.fromEntries(entries) as Record<ShopService, string>;
    },

    deploy(service: ShopService, version: string, actor: string): Promise<ReleaseRecord> {
      return oneAtATime(service, async () => {
        const from = currentVersion(await deps.store.history(service));
        if (from === version) throw new HttpProblem(trainingProblems.already_running, `${service} already runs ${version}`);
        return release({ service, action: 'deploy', version, previousVersion: from, actor });
      });
    },

    rollback(service: ShopService, actor: string): Promise<ReleaseRecord> {
      return oneAtATime(service, async () => {
        const history = await deps.store.history(service);
        const target = rollbackTarget(history);
        if (!target)
          throw new HttpProblem(
            trainingProblems.nothing_to_roll_back,
            `${service} runs its baseline ${currentVersion(history)}: there is nothing to roll back`,
          );
        return release({ service, action: 'rollback', version: target, previousVersion: currentVersion(history), actor });
      });
    },

    /** Deploy markers for the versions running now, after a restart of this process. */
    async restoreMetrics(): Promise<void> {
      for (const service of shopServices) {
        const history = await deps.store.history(service);
        const last = history.at(-1);
        if (last) deps.metrics.released(last, currentVersion(history));
      }
    },
  };
}

export type ReleaseService = ReturnType<typeof createReleaseService>;
