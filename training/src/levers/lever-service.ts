import type { Redis } from 'ioredis';
import { HttpProblem, problems } from '@firedrill/kit';
import { deadLetterJob, deadLetterQueueName, readQueueView, type QueueView } from '@firedrill/queue-contract';
import type { EventStore } from '../events/event-store.ts';
import type { FlagStore } from '../flags/flag-store.ts';
import type { Caller } from '../ops/identity.ts';
import type { ReleaseService } from '../releases/release-service.ts';
import type { Shop, ShopDirectory } from '../runs/team-shops.ts';
import type { SupervisorClient } from '../releases/supervisor-client.ts';
import { trainingProblems } from '../server/training-problems.ts';
import { endShopSessions } from './database-sessions.ts';
import { formatLever, rolesFor, type Lever } from './lever.ts';
import { createRedisLevers } from './redis-levers.ts';
import { teamRefusal, type CurrentRun } from './team-scope.ts';

export interface LeverServiceDeps {
  events: EventStore;
  flags: FlagStore;
  releases: ReleaseService;
  /** Absent where no lab supervisor runs the services (Docker Compose). */
  supervisor: SupervisorClient | undefined;
  /** A direct admin connection to a shop's Redis (not through Toxiproxy): the single lab's, or a class's team's own. */
  redisOf(shop: Shop): Redis;
  /** Which shop a lever acts on: the single lab's, or in a class the team's (its processes, database, queue). */
  shops: ShopDirectory;
  /** How long dead-letter waits for a worker's lock on the job. */
  deadLetterLockWaitMs: number;
  /**
   * What the lever means to the run going on, if any (`matched: 'ends' | 'eases' | null`), added to
   * its lever.applied event; decided before the lever acts, against the causes active then.
   */
  annotate?: (lever: Lever, shop: Shop) => Record<string, unknown>;
  /** The run going on on a shop (runs/run-service.ts `current`): a trainee may act only during its own team's. */
  currentRun?: (shop: Shop) => CurrentRun | undefined;
}

export interface LeverOutcome {
  lever: string;
  /** One line for people: what the lever did. */
  summary: string;
  details: Record<string, unknown>;
}

/**
 * Pulls levers. Every application is checked against the caller's role and recorded as a
 * lever.applied event (who, when, what, with what outcome); deploys, rollbacks and flag changes
 * record their own event as well.
 */
export function createLeverService(deps: LeverServiceDeps) {
  const supervisor = (lever: Lever): SupervisorClient => {
    if (!deps.supervisor)
      throw new HttpProblem(trainingProblems.lever_unavailable, `"${formatLever(lever)}" needs the native lab supervisor (SUPERVISOR_URL is not set)`);
    return deps.supervisor;
  };

  /**
   * The shop a lever acts on: a trainee's team's, else the team asked for (in a class, a lever that
   * names none is a 400; a single lab has one shop).
   */
  const shopOf = (lever: Lever, caller: Caller, team: string | undefined): Shop => {
    if (caller.role === 'trainee' && team !== undefined && team !== caller.team)
      throw new HttpProblem(trainingProblems.other_team, `"${formatLever(lever)}" refused: a trainee acts on its own team's shop (yours is ${caller.team})`);
    const named = caller.role === 'trainee' ? caller.team : (team ?? null);
    return deps.shops.shopFor(named);
  };

  const pull = async (lever: Lever, caller: Caller, shop: Shop): Promise<Omit<LeverOutcome, 'lever'>> => {
    switch (lever.kind) {
      case 'restart': {
        // The worker may run as several processes (worker, worker-2, …): restart means all of them.
        const { services } = await supervisor(lever).status();
        const process = shop.processName(lever.service);
        const names = services.map((s) => s.name).filter((name) => name === process || name.startsWith(`${process}-`));
        for (const name of names) await supervisor(lever).restart(name);
        return { summary: `restarted ${names.join(', ')}`, details: { restarted: names } };
      }
      case 'deploy': {
        const release = await deps.releases.deploy(lever.service, lever.version, caller.actor, shop.team);
        return { summary: `${lever.service} deployed at ${release.version} (was ${release.previousVersion})`, details: { release } };
      }
      case 'rollback': {
        const release = await deps.releases.rollback(lever.service, caller.actor, shop.team);
        return { summary: `${lever.service} rolled back to ${release.version} (from ${release.previousVersion})`, details: { release } };
      }
      case 'flag':
      case 'failover': {
        const [flag, value] = lever.kind === 'flag' ? [lever.flag, lever.value] : (['payments.secondary-gateway', true] as const);
        const { changed, flag: view } = await deps.flags.set(flag, value, caller.actor, shop.team);
        return { summary: changed ? `${flag} set to ${value}` : `${flag} was already ${value}`, details: { changed, flag: view } };
      }
      case 'scale': {
        const scaled = await supervisor(lever).scale(shop.processName('worker'), lever.count);
        return {
          summary: `worker runs ${scaled.count} process${scaled.count === 1 ? '' : 'es'}`,
          details: { count: scaled.count, processes: scaled.processes.map((p) => p.name) },
        };
      }
      case 'dead-letter': {
        const outcome = await deadLetterJob(deps.redisOf(shop), shop.queuePrefix, lever.jobId, { lockWaitMs: deps.deadLetterLockWaitMs }).catch(redisDown);
        if (outcome === 'not_found')
          throw new HttpProblem(trainingProblems.job_not_found, `No job ${lever.jobId} in the fulfilment queue (\`lab queue\` lists them)`);
        return {
          summary: `job ${lever.jobId} moved to ${deadLetterQueueName}; it will not be retried`,
          details: { jobId: lever.jobId, queue: deadLetterQueueName },
        };
      }
      case 'end-db-sessions': {
        const { ended } = await endShopSessions(shop.adminDatabaseUrl).catch((err: Error) => {
          throw new HttpProblem(problems.dependency_unavailable, `The shop's database cannot be reached: ${err.message}`, { cause: err });
        });
        return { summary: `ended ${ended} session${ended === 1 ? '' : 's'} on the shop's database`, details: { ended } };
      }
      case 'redis-maxmemory': {
        // The shop's own server: in a class, the team's (no other team's maxmemory changes).
        const memory = await createRedisLevers(deps.redisOf(shop), shop.queuePrefix).setMaxMemory(lever.megabytes).catch(redisDown);
        return {
          summary: `Redis maxmemory is ${lever.megabytes} MB (was ${Math.round(memory.previousBytes / 2 ** 20)} MB; 0 means no limit)`,
          details: memory,
        };
      }
      case 'redis-delete': {
        const outcome = await createRedisLevers(deps.redisOf(shop), shop.queuePrefix).deleteKeys(lever.pattern).catch(redisDown);
        const kept = outcome.keptQueueKeys > 0 ? `; kept ${outcome.keptQueueKeys} fulfilment-queue key(s)` : '';
        const partial = outcome.complete ? '' : '; stopped at its bound, run it again for the rest';
        return { summary: `deleted ${outcome.deleted} key(s) matching ${lever.pattern}${kept}${partial}`, details: { ...outcome } };
      }
    }
  };

  return {
    /**
     * The fulfilment queue of `team`'s shop (the single lab's one shop), as `lab queue` shows it:
     * the jobs dead-letter acts on. Read here, with the lab's own Redis user, because a trainee's
     * read-only Redis user cannot run BullMQ's scripts.
     */
    async queue(team: string | null): Promise<QueueView> {
      const shop = deps.shops.shopFor(team);
      return readQueueView(deps.redisOf(shop), shop.queuePrefix).catch(redisDown);
    },

    /** `team`: the class's team whose shop it is for (a trainee's is its own); a single lab has one shop. */
    async apply(lever: Lever, caller: Caller, team?: string): Promise<LeverOutcome> {
      const text = formatLever(lever);
      const allowed = rolesFor(lever);
      if (!allowed.includes(caller.role))
        throw new HttpProblem(problems.forbidden, `"${text}" needs the ${allowed.join(' or ')} token; you sent the ${caller.role} token`);
      const shop = shopOf(lever, caller, team);
      const run = deps.currentRun?.(shop);
      const refusal = teamRefusal(caller, run);
      if (refusal) {
        // The instructor sees the attempt (and the debrief can show it); the run's team does not.
        await deps.events.append([
          {
            actor: caller.actor,
            kind: 'access.refused',
            visibility: 'instructor',
            team: caller.team,
            data: { action: text, reason: refusal, runTeam: run?.team },
          },
        ]);
        throw new HttpProblem(trainingProblems.other_team, `"${text}" refused: ${refusal}`);
      }
      const annotation = deps.annotate?.(lever, shop) ?? {};
      const outcome = await pull(lever, caller, shop);
      await deps.events.append([
        {
          actor: caller.actor,
          kind: 'lever.applied',
          data: { lever: text, summary: outcome.summary, ...outcome.details, ...annotation },
          // A trainee's lever is its team's (outside a run too); in a class, the shop's team's; the
          // others' belong to the run's team.
          ...(caller.team !== null ? { team: caller.team } : shop.team !== null && { team: shop.team }),
        },
      ]);
      return { lever: text, ...outcome };
    },
  };
}

export type LeverService = ReturnType<typeof createLeverService>;

function redisDown(err: Error): never {
  if (err instanceof HttpProblem || err.name === 'JobLockedError') throw err;
  throw new HttpProblem(problems.dependency_unavailable, `The shop's Redis cannot be reached: ${err.message}`, { cause: err });
}
