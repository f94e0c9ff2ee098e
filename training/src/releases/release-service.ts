import type pg from 'pg';
import { HttpProblem } from '@firedrill/kit';
import type { EventStore } from '../events/event-store.ts';
import type { ShopDirectory } from '../runs/team-shops.ts';
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
  /** Whose shop a release is for: the single lab's one shop, or in a class a team's (its own history and processes). */
  shops: ShopDirectory;
}

/**
 * Deploys and rollbacks: the supervisor restarts the service on the version, and the release is
 * recorded with its event in the same transaction, committed only once the supervisor has done
 * it, so the history never claims a release that did not happen. One change per service of a shop
 * at a time. `team` names a class's team's shop (a single lab has one shop, whatever the team).
 */
export function createReleaseService(deps: ReleaseServiceDeps) {
  const queues = new Map<string, Promise<unknown>>();
  const oneAtATime = <T>(shop: string, service: ShopService, work: () => Promise<T>): Promise<T> => {
    const key = `${shop}/${service}`;
    const next = (queues.get(key) ?? Promise.resolve()).then(work);
    queues.set(
      key,
      next.catch(() => {}),
    );
    return next;
  };

  const supervisor = (): SupervisorClient => {
    if (!deps.supervisor)
      throw new HttpProblem(trainingProblems.lever_unavailable, 'Deploys and rollbacks need the native lab supervisor (SUPERVISOR_URL is not set)');
    return deps.supervisor;
  };

  const release = async (record: Omit<ReleaseRecord, 'id' | 'at'>, processName: string, team: string | null): Promise<ReleaseRecord> => {
    const client = await deps.pool.connect();
    try {
      await client.query('BEGIN');
      const saved = await deps.store.record(record, client);
      await deps.events.append(
        [
          {
            actor: record.actor,
            kind: record.action,
            data: { service: record.service, version: record.version, previousVersion: record.previousVersion },
            ...(team !== null && { team }),
          },
        ],
        client,
      );
      // The marker goes up before the process restarts: ServiceRestartingUnexpectedly subtracts it
      // from the service's starts, and set after the deploy (which waits for the new process to be
      // healthy) it reached Prometheus after the new start time, so a deploy paged as a death.
      deps.metrics.released(saved, saved.version);
      await supervisor().deploy(processName, record.version);
      await client.query('COMMIT');
      return saved;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  };

  return {
    async current(team: string | null = null): Promise<Record<ShopService, string>> {
      const { key } = deps.shops.shopFor(team);
      const entries = await Promise.all(shopServices.map(async (service) => [service, currentVersion(await deps.store.history(service, key))] as const));
      return Object.fromEntries(entries) as Record<ShopService, string>;
    },

    /** The shop's releases, newest first. */
    list: (options: { service?: ShopService | undefined; limit: number }, team: string | null = null): Promise<ReleaseRecord[]> =>
      deps.store.list({ ...options, shop: deps.shops.shopFor(team).key }),

    deploy(service: ShopService, version: string, actor: string, team: string | null = null): Promise<ReleaseRecord> {
      const shop = deps.shops.shopFor(team);
      return oneAtATime(shop.key, service, async () => {
        const from = currentVersion(await deps.store.history(service, shop.key));
        if (from === version) throw new HttpProblem(trainingProblems.already_running, `${shop.processName(service)} already runs ${version}`);
        return release({ service, action: 'deploy', version, previousVersion: from, actor, shop: shop.key }, shop.processName(service), shop.team);
      });
    },

    rollback(service: ShopService, actor: string, team: string | null = null): Promise<ReleaseRecord> {
      const shop = deps.shops.shopFor(team);
      return oneAtATime(shop.key, service, async () => {
        const history = await deps.store.history(service, shop.key);
        const target = rollbackTarget(history);
        if (!target)
          throw new HttpProblem(
            trainingProblems.nothing_to_roll_back,
            `${service} runs its baseline ${currentVersion(history)}: there is nothing to roll back`,
          );
        return release(
          { service, action: 'rollback', version: target, previousVersion: currentVersion(history), actor, shop: shop.key },
          shop.processName(service),
          shop.team,
        );
      });
    },

    /** Deploy markers for the versions running now, after a restart of this process. */
    async restoreMetrics(): Promise<void> {
      for (const shop of deps.shops.all()) {
        for (const service of shopServices) {
          const history = await deps.store.history(service, shop.key);
          const last = history.at(-1);
          if (last) deps.metrics.released(last, currentVersion(history));
        }
      }
    },
  };
}

export type ReleaseService = ReturnType<typeof createReleaseService>;
