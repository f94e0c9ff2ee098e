import { existsSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { HttpProblem, problems, type Logger } from '@firedrill/kit';
import type { EventStore, TrainingEvent, Visibility } from '../events/event-store.ts';
import type { FlagStore } from '../flags/flag-store.ts';
import type { Lever } from '../levers/lever.ts';
import type { Caller, Role } from '../ops/identity.ts';
import type { ReleaseService } from '../releases/release-service.ts';
import type { SupervisorClient } from '../releases/supervisor-client.ts';
import { listScenarioIds, loadScenario, type LoadedScenario } from '../scenario/load-scenario.ts';
import { ScenarioError } from '../scenario/scenario-error.ts';
import { isOncall, type LabScenario } from '../scenario/scenario-schema.ts';
import { pickFromPool, planTimeline, scaled } from '../scenario/timeline.ts';
import { trainingProblems } from '../server/training-problems.ts';
import type { ChaosClient } from './chaos-client.ts';
import type { GoldenSignals } from './golden-signals.ts';
import { cleanUpRun, cleanupActor, type CleanupDeps } from './run-cleanup.ts';
import type { RunClock } from './run-clock.ts';
import { RunDriver, type DriverSettings, type HoldAnswer, type RunDriverDeps, type RunVerdict, type RunningLoad } from './run-driver.ts';
import type { RunJournal } from './run-journal.ts';
import { chaosForTeam } from './team-chaos.ts';
import type { Shop, ShopDirectory } from './team-shops.ts';
import { RunInProgressError, isFinished, newRunId, type RunRecord, type RunStore } from './run-store.ts';
import { mustReadRun, readsRun } from './run-access.ts';
import { factsFromEvents, runView, visiblePhase, type RunView } from './run-view.ts';
import type { RunStatus } from './runs-contract.ts';

export interface RunServiceDeps {
  store: RunStore;
  events: EventStore;
  journal: RunJournal;
  chaos: ChaosClient;
  releases: ReleaseService;
  flags: FlagStore;
  supervisor: SupervisorClient | undefined;
  scenariosDir: string;
  /** The shop each run drives: the single lab's, or in a class its team's. */
  shops: ShopDirectory;
  /** The run's probes, evaluated against its shop. */
  evaluateProbes: (probes: Parameters<RunDriverDeps['evaluateProbes']>[0], shop: Shop) => ReturnType<RunDriverDeps['evaluateProbes']>;
  /** The run's load, at its shop's api. */
  startLoad: (...args: [...Parameters<RunDriverDeps['startLoad']>, shop: Shop]) => ReturnType<RunDriverDeps['startLoad']>;
  signals: (shop: Shop) => Promise<GoldenSignals>;
  clock: RunClock;
  logger: Logger;
  settings: DriverSettings;
  /**
   * The team a new run is for, from the team asked for (identities/identity-service.ts: it must
   * exist; none asked for and one team exists: that one). Without it runs are for no team.
   */
  teamForRun?: (requested: string | undefined) => Promise<string | null>;
  /** Sends pages on outside the lab (PAGER_WEBHOOK_URL); absent: pages are only events. */
  sendPage?: RunDriverDeps['sendPage'];
}

export interface StartRequest {
  scenario: string;
  seed?: number | undefined;
  speed: number;
  blind: boolean;
  team?: string | undefined;
}

export interface ScenarioSummary {
  id: string;
  title: string;
  curriculum: string;
  difficulty: number;
  timeboxMs: number;
}

const seesEverything = (role: Role): Visibility[] => (role === 'instructor' ? ['everyone', 'instructor'] : ['everyone']);

/**
 * Runs, owned by the training process (never by a CLI): start one (one at a time on each shop: the
 * single lab's one, or in a class one per team), stop it, read it, its events and its status.
 * Every run ends with cleanup, also one that a crash interrupted (recover(), at start-up).
 */
export function createRunService(deps: RunServiceDeps) {
  const { store, events, journal, logger, shops } = deps;
  /** The runs being driven, by the shop they drive (runs.shop). */
  const active = new Map<string, { run: RunRecord; driver: RunDriver; done: Promise<void> }>();
  const activeRun = (id: string) => [...active.values()].find((entry) => entry.run.id === id);
  /** The shop a recorded run drove: its team's in a class, else the single lab's. */
  const shopOfRun = (run: RunRecord): Shop => (run.shop === '' ? shops.shopFor(null) : shops.shopFor(run.shop));
  const chaosOfRun = (run: RunRecord) => chaosForTeam(deps.chaos, run.shop === '' ? null : run.shop);
  let recovering: Promise<void> = Promise.resolve();
  const loaded = new Map<string, LoadedScenario>();

  // events.jsonl is written as events happen (and rewritten from the database when the run ends).
  events.onAppend((batch) => {
    for (const event of batch) {
      if (!event.runId) continue;
      try {
        journal.append(event.runId, [event]);
      } catch (err) {
        logger.warn({ err, runId: event.runId }, 'events.jsonl could not be written');
      }
    }
  });

  const load = (id: string): LoadedScenario => {
    const dir = path.join(deps.scenariosDir, id);
    if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(id) || !existsSync(path.join(dir, 'scenario.yaml')))
      throw new HttpProblem(trainingProblems.unknown_scenario, `No scenario "${id}" (GET /api/scenarios lists them)`);
    try {
      const scenario = loadScenario(dir);
      loaded.set(id, scenario);
      return scenario;
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      throw new HttpProblem(trainingProblems.scenario_invalid, err.message, {
        errors: err.problems.map((p) => ({ field: `${p.file}:${p.line}${p.field ? ` ${p.field}` : ''}`, message: p.message })),
      });
    }
  };
  const briefingOf = (run: RunRecord): string | null => {
    try {
      return (loaded.get(run.scenario) ?? load(run.scenario)).briefing;
    } catch {
      return null;
    }
  };
  const timeboxOf = (run: RunRecord): number | null => {
    try {
      const { scenario } = loaded.get(run.scenario) ?? load(run.scenario);
      return isOncall(scenario) ? null : scaled(scenario.timebox, run.speed);
    } catch {
      return null;
    }
  };
  const mustGet = async (id: string): Promise<RunRecord> => {
    const run = await store.get(id);
    if (!run) throw new HttpProblem(problems.not_found, `No run ${id}`);
    return run;
  };
  /** The run, if this caller may read it (another team's is 404 to a trainee: run-access.ts). */
  const mustRead = async (id: string, caller: Pick<Caller, 'role' | 'team'>): Promise<RunRecord> => mustReadRun(await store.get(id), id, caller);
  const allEventsOf = (runId: string) => events.list({ runId, limit: 1_000_000, visibility: ['everyone', 'instructor'] });
  /** What undoes a run's work on its shop: its team's faults, releases and processes. */
  const cleanupDeps = (run: RunRecord): CleanupDeps => {
    const team = run.shop === '' ? null : run.shop;
    return {
      chaos: chaosOfRun(run),
      releases: { current: () => deps.releases.current(team), rollback: (service, actor) => deps.releases.rollback(service, actor, team) },
      supervisor: deps.supervisor,
      flags: { set: (name, value, actor) => deps.flags.set(name, value, actor, team) },
      logger,
      // Throws (a cleanup step that could not) for a team the class no longer has.
      processName: (service) => shopOfRun(run).processName(service),
    };
  };

  /** Cleanup, then the end state: the run counts as ended only once what it did is undone. */
  const finish = async (runId: string, verdict: RunVerdict, runningLoad: RunningLoad | undefined): Promise<void> => {
    const run = (await store.get(runId))!;
    const left = await cleanUpRun(run, cleanupDeps(run), runningLoad);
    const reason = left.length > 0 ? `${verdict.reason}; cleanup could not: ${left.join('; ')}` : verdict.reason;
    await store.end(runId, verdict.state, reason);
    await events.append([{ actor: verdict.state === 'stopped' ? cleanupActor : 'scenario', kind: 'run.state', data: { state: verdict.state, reason }, runId }]);
    events.setCurrentRun(run.shop, null);
    try {
      journal.rewrite(runId, await allEventsOf(runId));
    } catch (err) {
      logger.warn({ err, runId }, 'events.jsonl could not be rewritten');
    }
    logger.info({ runId, state: verdict.state, reason }, 'run ended');
  };

  // A class's run that names a team no longer in CLASS_SHOPS has no shop to read: no signals.
  const signalsOf = async (run: RunRecord): Promise<GoldenSignals> => {
    let shop: Shop;
    try {
      shop = shopOfRun(run);
    } catch {
      return { checkoutRate: null, errorRatio: null, p95Ms: null };
    }
    return deps.signals(shop);
  };

  const status = async (id: string, caller: Pick<Caller, 'role' | 'team'>): Promise<RunStatus> => {
    const run = await mustRead(id, caller);
    const { role } = caller;
    const now = deps.clock.now();
    const runEvents = await allEventsOf(id);
    const facts = factsFromEvents(runEvents);
    const driving = activeRun(id)?.driver.snapshot();
    const end = run.endedAt ? Date.parse(run.endedAt) : now;
    const phase = isFinished(run.state) ? 'ended' : (driving?.phase ?? run.state);
    // An ended run's timebox with its extensions is the last run.extended's.
    const extended = runEvents.findLast((event) => event.kind === 'run.extended')?.data.timeboxMs;
    return {
      id: run.id,
      state: run.state,
      phase: visiblePhase(phase, run.blind, role),
      elapsedMs: Math.max(0, end - Date.parse(run.createdAt)),
      liveForMs: run.liveAt ? Math.max(0, end - Date.parse(run.liveAt)) : null,
      timeboxMs: driving?.timeboxMs ?? (typeof extended === 'number' ? extended : timeboxOf(run)),
      signals: await signalsOf(run),
      firingAlerts: facts.firingAlerts,
      levers: facts.levers,
      probes: driving && driving.probes.length > 0 ? driving.probes : facts.probes,
      holdingForMs: driving?.holdingForMs ?? 0,
      pausedAt: driving?.pausedAt ?? null,
    };
  };

  /** Pause, resume or extend the run going on (only a live one: warming has no timeline to hold yet); answers its status. */
  const holdTimeline = async (id: string, caller: Caller, change: (driver: RunDriver) => Promise<HoldAnswer>): Promise<RunStatus> => {
    const run = await mustGet(id);
    const driving = activeRun(id);
    if (!driving || run.state !== 'live')
      throw new HttpProblem(
        trainingProblems.run_not_live,
        run.state === 'warming'
          ? `Run ${id} is still warming up (its timeline has not started): pause, resume and extend apply to a live run`
          : `Run ${id} is ${run.state}: pause, resume and extend apply to a live run`,
      );
    const answer = await change(driving.driver);
    if (!answer.ok) throw new HttpProblem(trainingProblems[answer.problem], answer.detail);
    logger.info({ runId: id, actor: caller.actor }, 'run timeline changed');
    return status(id, caller);
  };

  return {
    listScenarios(): ScenarioSummary[] {
      const summaries: ScenarioSummary[] = [];
      for (const id of listScenarioIds(deps.scenariosDir)) {
        try {
          const { scenario } = load(id);
          summaries.push({ id, title: scenario.title, curriculum: scenario.curriculum, difficulty: scenario.difficulty, timeboxMs: scenario.timebox });
        } catch (err) {
          // One broken file must not hide the others; GET /api/scenarios/{id} names its problems.
          logger.warn({ err, scenario: id }, 'scenario skipped: it does not load');
        }
      }
      return summaries;
    },

    scenario(id: string, role: Role): Record<string, unknown> {
      const { scenario, briefing } = load(id);
      const summary = { id, title: scenario.title, curriculum: scenario.curriculum, difficulty: scenario.difficulty, timeboxMs: scenario.timebox, briefing };
      return role === 'instructor' ? { ...scenario, timeboxMs: scenario.timebox, briefing } : summary;
    },

    async start(request: StartRequest, caller: Caller): Promise<RunView> {
      await recovering;
      const requested = load(request.scenario);
      const seed = request.seed ?? randomInt(0, 2 ** 31 - 1);
      let played = requested;
      let blind = request.blind;
      if (isOncall(requested.scenario)) {
        played = load(pickFromPool(requested.scenario, seed));
        blind = true; // on-call: the pick is the surprise
      }
      const scenario = played.scenario as LabScenario;
      const plan = planTimeline(scenario, { seed, speed: request.speed, blind });
      const team = deps.teamForRun ? await deps.teamForRun(request.team) : null;
      // In a class a run drives its team's shop (a run for no team: 400); a single lab's, the one shop.
      const shop = shops.shopFor(team);
      let run: RunRecord;
      try {
        run = await store.create({
          id: newRunId(),
          requested: request.scenario,
          scenario: scenario.id,
          title: scenario.title,
          seed,
          speed: request.speed,
          blind,
          team,
          shop: shop.key,
          createdBy: caller.actor,
        });
      } catch (err) {
        if (err instanceof RunInProgressError)
          throw new HttpProblem(trainingProblems.run_in_progress, `Run ${err.runId} has not finished; stop it first (POST /api/runs/${err.runId}/stop)`, {
            extensions: { runId: err.runId },
          });
        throw err;
      }
      events.setCurrentRun(run.shop, run.id, run.team);
      try {
        await events.append([{ actor: caller.actor, kind: 'run.state', data: { state: 'warming', seed, speed: request.speed, blind }, runId: run.id }]);
      } catch (err) {
        await finish(run.id, { state: 'failed', reason: `the run could not start: ${(err as Error).message}` }, undefined).catch(() => {});
        throw err;
      }
      const driver = new RunDriver(run, scenario, plan, {
        clock: deps.clock,
        chaos: chaosOfRun(run),
        releases: { deploy: (service, version, actor) => deps.releases.deploy(service, version, actor, shop.team) },
        flags: { set: (name, value, actor) => deps.flags.set(name, value, actor, shop.team), view: (name) => deps.flags.view(name, shop.team) },
        events,
        store,
        evaluateProbes: (probes) => deps.evaluateProbes(probes, shop),
        startLoad: (runId, runLoad, maxSeconds) => deps.startLoad(runId, runLoad, maxSeconds, shop),
        logger,
        settings: deps.settings,
        sendPage: deps.sendPage,
      });
      const done = (async () => {
        const verdict = await driver.play();
        try {
          await finish(run.id, verdict, driver.load);
        } catch (err) {
          // The database went away: the next start of this process finds the run unfinished and cleans up.
          logger.error({ err, runId: run.id }, 'run could not be finished; it is cleaned up at the next start');
        } finally {
          active.delete(run.shop);
        }
      })();
      active.set(run.shop, { run, driver, done });
      logger.info({ runId: run.id, scenario: scenario.id, seed, speed: request.speed, blind, team }, 'run started');
      return runView(run, caller.role, played.briefing);
    },

    async stop(id: string, caller: Caller): Promise<RunView> {
      const run = await mustGet(id);
      const driving = activeRun(id);
      if (driving) {
        driving.driver.stop(caller.actor);
        await driving.done;
      } else if (!isFinished(run.state)) await recovering;
      const after = await mustGet(id);
      return runView(after, caller.role, briefingOf(after));
    },

    async get(id: string, caller: Pick<Caller, 'role' | 'team'>): Promise<RunView> {
      const run = await mustRead(id, caller);
      return runView(run, caller.role, briefingOf(run));
    },

    /** Newest first. A trainee lists the runs it may read (its own team's and those for no team): the newest unfinished one is the one its page follows. */
    async list(caller: Pick<Caller, 'role' | 'team'>, limit = 50): Promise<RunView[]> {
      const listed = (await store.list(limit)).filter((run) => readsRun(caller, run.team));
      return listed.map((run) => runView(run, caller.role, briefingOf(run)));
    },

    /** Long poll: the caller's events after `after`, at once if there are some, else within `waitMs`. */
    async events(id: string, caller: Pick<Caller, 'role' | 'team'>, after: number, waitMs: number, signal?: AbortSignal): Promise<TrainingEvent[]> {
      await mustRead(id, caller);
      const { role } = caller;
      const deadline = Date.now() + waitMs;
      for (;;) {
        const found = await events.list({ runId: id, after, limit: 500, visibility: seesEverything(role) });
        const left = deadline - Date.now();
        if (found.length > 0 || left <= 0 || signal?.aborted) return found;
        // Re-read at least every second: an event appended inside a transaction wakes us before it is visible.
        await events.waitForAppend(Math.min(left, 1_000), signal);
      }
    },

    status,

    pause: (id: string, caller: Caller) => holdTimeline(id, caller, (driver) => driver.pause(caller.actor)),
    resume: (id: string, caller: Caller) => holdTimeline(id, caller, (driver) => driver.resume(caller.actor)),
    extend: (id: string, minutes: number, caller: Caller) => holdTimeline(id, caller, (driver) => driver.extend(caller.actor, minutes)),

    /**
     * The run going on on `shop` (the single lab's: every run; a class's team's: that team's) and
     * the team it is for (a trainee may act only for its own team's run), or undefined.
     */
    current(shop: Shop): { runId: string; team: string | null } | undefined {
      const driving = active.get(shop.key);
      return driving ? { runId: driving.run.id, team: driving.run.team } : undefined;
    },

    /** Added to each lever.applied event while a run goes on the lever's shop: what the lever does to its causes. */
    annotateLever(lever: Lever, shop: Shop): Record<string, unknown> {
      return active.get(shop.key)?.driver.annotate(lever) ?? {};
    },

    /**
     * At start-up: runs left unfinished by a crash (or a kill) are cleaned up and marked failed.
     * Runs in the background; starting a new run waits for it.
     */
    recover(): Promise<void> {
      recovering = (async () => {
        for (const run of await store.unfinished()) {
          logger.warn({ runId: run.id, state: run.state }, 'run left unfinished by the previous training process: cleaning up');
          events.setCurrentRun(run.shop, run.id, run.team);
          await finish(run.id, { state: 'failed', reason: `the training process stopped during the run (it was ${run.state})` }, undefined);
        }
      })().catch((err: unknown) => logger.error({ err }, 'recovering unfinished runs failed; retried at the next start'));
      return recovering;
    },

    /** Shutting down: the runs going on are stopped and cleaned up (bounded by the process's shutdown deadline). */
    async close(): Promise<void> {
      const going = [...active.values()];
      for (const driving of going) driving.driver.stop('the training process shutting down');
      await Promise.all(going.map((driving) => driving.done));
      await recovering;
    },
  };
}

export type RunService = ReturnType<typeof createRunService>;
