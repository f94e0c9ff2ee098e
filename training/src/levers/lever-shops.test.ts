import { HttpProblem } from '@firedrill/kit';
import { describe, expect, it } from 'vitest';
import type { EventStore, NewEvent } from '../events/event-store.ts';
import { traineeCaller, type Caller } from '../ops/identity.ts';
import type { SupervisorClient } from '../releases/supervisor-client.ts';
import { createShopDirectory, type Shop } from '../runs/team-shops.ts';
import { singleShopSettings, twoTeamClassShops } from '../runs/team-shops.fixture.ts';
import { createLeverService } from './lever-service.ts';

const single = singleShopSettings;
const classShops = twoTeamClassShops;
const processes = ['api', 'blue-api', 'blue-payments', 'blue-worker', 'blue-worker-2', 'green-api', 'green-worker'];
const instructor: Caller = { role: 'instructor', actor: 'instructor', team: null, trainee: null };

/** The lever service with a supervisor and an event store in memory; the runs going on are blue's only. */
function leversOf(classOf: typeof classShops | Record<string, never>) {
  const restarted: string[] = [];
  const scaled: string[] = [];
  const events: NewEvent[] = [];
  const flagsSet: string[] = [];
  /** Each Redis command a lever sends, with the server it reached. */
  const redisCalls: string[] = [];
  const supervisor = {
    status: async () => ({ services: processes.map((name) => ({ name })) }),
    restart: async (name: string) => {
      restarted.push(name);
    },
    scale: async (name: string, count: number) => {
      scaled.push(`${name} ${count}`);
      return { name, count, processes: [] };
    },
  } as unknown as SupervisorClient;
  const levers = createLeverService({
    events: { append: async (batch: NewEvent[]) => events.push(...batch) } as unknown as EventStore,
    flags: {
      set: async (name: string, value: unknown, _actor: string, team: string | null) => {
        flagsSet.push(`${team}: ${name}=${value}`);
        return { changed: true, flag: {} };
      },
    } as never,
    releases: {} as never,
    supervisor,
    redisOf: (shop: Shop) =>
      ({
        config: async (...args: string[]) => {
          redisCalls.push(`${new URL(shop.adminRedisUrl).port} CONFIG ${args.join(' ')}`);
          return ['maxmemory', '0'];
        },
      }) as never,
    shops: createShopDirectory(single, classOf),
    deadLetterLockWaitMs: 0,
    currentRun: (shop: Shop) => (shop.team === 'blue' ? { runId: 'run-blue', team: 'blue' } : undefined),
  });
  return { levers, restarted, scaled, events, flagsSet, redisCalls };
}

const problemOf = async (promise: Promise<unknown>): Promise<HttpProblem> => {
  try {
    await promise;
  } catch (err) {
    if (err instanceof HttpProblem) return err;
    throw err;
  }
  throw new Error('expected a problem');
};

describe("levers in a class act on one team's shop", () => {
  it("when blue's trainee restarts the worker, then blue's worker processes restart, no one else's, and the event is blue's", async () => {
    const { levers, restarted, events } = leversOf(classShops);
    const outcome = await levers.apply({ kind: 'restart', service: 'worker' }, traineeCaller({ name: 'grace', team: 'blue' }));
    expect(restarted).toEqual(['blue-worker', 'blue-worker-2']);
    expect(outcome.summary).toBe('restarted blue-worker, blue-worker-2');
    expect(events.map((e) => [e.kind, e.team])).toEqual([['lever.applied', 'blue']]);
  });

  it("when the instructor scales green's worker, then green's worker scales, and the event names green", async () => {
    const { levers, scaled, events } = leversOf(classShops);
    await levers.apply({ kind: 'scale', service: 'worker', count: 3 }, instructor, 'green');
    expect(scaled).toEqual(['green-worker 3']);
    expect(events[0]?.team).toBe('green');
  });

  it("when green's trainee fails payments over, then green's flag is set, not blue's", async () => {
    const { levers, flagsSet } = leversOf(classShops);
    await levers.apply({ kind: 'failover', service: 'payments' }, traineeCaller({ name: 'alan', team: 'green' }));
    expect(flagsSet).toEqual(['green: payments.secondary-gateway=true']);
  });

  it('when a shop lever names no team in a class, then 400 naming the teams, and nothing restarts', async () => {
    const { levers, restarted } = leversOf(classShops);
    const problem = await problemOf(levers.apply({ kind: 'restart', service: 'api' }, instructor));
    expect(problem.status).toBe(400);
    expect(problem.message).toContain('blue, green');
    expect(restarted).toEqual([]);
  });

  it("when a trainee names another team's shop, then 403 other_team, and nothing restarts", async () => {
    const { levers, restarted } = leversOf(classShops);
    const problem = await problemOf(levers.apply({ kind: 'restart', service: 'api' }, traineeCaller({ name: 'alan', team: 'green' }), 'blue'));
    expect([problem.status, problem.code]).toEqual([403, 'other_team']);
    expect(restarted).toEqual([]);
  });

  it("when green's trainee acts while blue's run goes on, then green's lever is not refused: blue's run is another shop's", async () => {
    const { levers, restarted } = leversOf(classShops);
    await levers.apply({ kind: 'restart', service: 'api' }, traineeCaller({ name: 'alan', team: 'green' }));
    expect(restarted).toEqual(['green-api']);
  });

  it("when a Redis lever is pulled in a class, then it acts on the team's own Redis server (blue's trainee: blue's; the instructor: the team named)", async () => {
    const { levers, redisCalls } = leversOf(classShops);
    await levers.apply({ kind: 'redis-maxmemory', megabytes: 256 }, traineeCaller({ name: 'grace', team: 'blue' }));
    await levers.apply({ kind: 'redis-maxmemory', megabytes: 128 }, instructor, 'green');
    expect(redisCalls.filter((call) => call.includes('SET'))).toEqual(['7520 CONFIG SET maxmemory 256mb', '7620 CONFIG SET maxmemory 128mb']);
  });

  it("in a single lab, restart acts on the one shop's process whatever team is named", async () => {
    const { levers, restarted } = leversOf({});
    await levers.apply({ kind: 'restart', service: 'api' }, instructor, 'green');
    expect(restarted).toEqual(['api']);
  });
});
