import { HttpProblem, type Logger } from '@firedrill/kit';
import type { EventKind, EventStore, TrainingEvent, Visibility } from '../events/event-store.ts';
import type { FlagName, FlagValue } from '../flags/flag-catalogue.ts';
import type { FlagStore } from '../flags/flag-store.ts';
import { pages, type PageSender } from '../incidents/pager.ts';
import { formatLever, parseLever, type Lever } from '../levers/lever.ts';
import type { ReleaseService } from '../releases/release-service.ts';
import type { ProbeResult, ProbeRound } from '../scenario/probes.ts';
import type { LabScenario, Probe } from '../scenario/scenario-schema.ts';
import type { PlannedAction, PlannedStep, TimelinePlan } from '../scenario/timeline.ts';
import { trainingProblems } from '../server/training-problems.ts';
import type { ChaosClient } from './chaos-client.ts';
import {
  causeEnd,
  causesOf,
  extendHold,
  gateVerdict,
  leverEffectOnRun,
  liveVerdict,
  noHold,
  pauseHold,
  pauseRunOut,
  pausedMs,
  probeChanges,
  resumeHold,
  runAllowances,
  timelineMs,
  type AppliedLever,
  type Cause,
  type CauseEnd,
  type HoldChange,
  type Phase,
  type StartedCause,
  type TimelineHold,
} from './run-decisions.ts';
import type { RunClock } from './run-clock.ts';
import type { EndState, RunRecord, RunStore } from './run-store.ts';

export interface DriverSettings {
  /** How often the live loop looks at the timeline, levers and the verdict. */
  tickMs: number;
  /** How often the probes are evaluated (the contract: every 5 s). */
  probeIntervalMs: number;
  /**
   * How often the chaos controller's alerts are read. Every second: a trainee's page (the console's
   * title and tone) should follow Alertmanager's notification within 2 s, and one read is a small
   * query over loopback.
   */
  alertPollMs: number;
  /** The steady-state gate: this many passing rounds in a row, within gateMaxMs. */
  gateRounds: number;
  gateMaxMs: number;
}

export const defaultDriverSettings: DriverSettings = { tickMs: 1_000, probeIntervalMs: 5_000, alertPollMs: 1_000, gateRounds: 3, gateMaxMs: 90_000 };

/** Something that stops the run's load (k6). */
export interface RunningLoad {
  stop(graceMs?: number): Promise<unknown>;
}

export interface RunDriverDeps {
  clock: RunClock;
  chaos: Pick<ChaosClient, 'activeFaults' | 'inject' | 'clear' | 'clearRelease' | 'alerts'>;
  releases: Pick<ReleaseService, 'deploy'>;
  flags: Pick<FlagStore, 'set' | 'view'>;
  events: Pick<EventStore, 'append' | 'list'>;
  store: Pick<RunStore, 'setLive' | 'addFault' | 'setFaultsUnsure' | 'removeFaults' | 'addDeployed' | 'addFlag'>;
  evaluateProbes: (probes: readonly Probe[]) => Promise<readonly ProbeResult[]>;
  /** Starts k6 for the run, bounded to `maxSeconds` whatever happens to this process. */
  startLoad: (runId: string, load: LabScenario['load'], maxSeconds: number) => RunningLoad;
  logger: Logger;
  settings: DriverSettings;
  /** Sends each page on outside the lab (PAGER_WEBHOOK_URL); the page event is recorded either way. */
  sendPage?: PageSender | undefined;
}

export interface RunVerdict {
  state: EndState;
  reason: string;
}

/** What the live screen shows of a run while it goes (the rest comes from its events). */
export interface DriverSnapshot {
  phase: Phase;
  holdingForMs: number;
  probes: { name: string; passing: boolean }[];
  /** When the instructor paused the timeline (ISO); null: not paused. */
  pausedAt: string | null;
  /** The timebox with the extensions given so far. */
  timeboxMs: number;
}

/** The answer to pause, resume or extend: done, or why not (a problem of training-problems.ts). */
export type HoldAnswer = { ok: true } | { ok: false; problem: Exclude<HoldChange, { ok: true }>['problem'] | 'run_not_live'; detail: string };

/** The flag a lever changes, if it changes one. */
function leverFlag(lever: Lever): FlagName | undefined {
  if (lever.kind === 'flag') return lever.flag;
  return lever.kind === 'failover' ? 'payments.secondary-gateway' : undefined;
}

/** The actor the scenario's own actions are recorded under. */
export const scenarioActor = 'scenario';

class Stopped extends Error {}

/**
 * Plays one run: warm-up and the steady-state gate, then the timeline on the run's clock, levers
 * ending causes, probes and alerts, until the verdict. The decisions are run-decisions.ts's; this
 * is the shell that gathers facts and carries decisions out. Cleanup is the caller's (it also runs
 * for runs whose driver died with the process).
 */
export class RunDriver {
  readonly #run: RunRecord;
  readonly #scenario: LabScenario;
  readonly #plan: TimelinePlan;
  readonly #deps: RunDriverDeps;
  readonly #abort = new AbortController();
  #stopReason = '';
  #load: RunningLoad | undefined;

  #phase: Phase = 'warming';
  #holdingForMs = 0;
  #liveAt = 0;
  /** The instructor's pauses and extensions, on the run's clock (ms since live). */
  #hold: TimelineHold = noHold;
  #stepsDone = 0;
  readonly #causes: StartedCause[] = [];
  readonly #ends: CauseEnd[] = [];
  readonly #levers: AppliedLever[] = [];
  #lastLeverEventId = 0;
  readonly #faultsByStep = new Map<number, string[]>();
  /** The values the flags a step set had before it: a rollback of the step's release puts them back. */
  readonly #flagsBeforeStep = new Map<number, { flag: FlagName; value: FlagValue }[]>();
  readonly #poisonJobIds: string[] = [];
  readonly #rounds: ProbeRound[] = [];
  readonly #lastVerdicts = new Map<string, boolean>();
  readonly #alertsSeen = new Set<string>();
  readonly #paged = new Set<string>();

  constructor(run: RunRecord, scenario: LabScenario, plan: TimelinePlan, deps: RunDriverDeps) {
    this.#run = run;
    this.#scenario = scenario;
    this.#plan = plan;
    this.#deps = deps;
  }

  /** The load, once started: cleanup stops it. */
  get load(): RunningLoad | undefined {
    return this.#load;
  }

  /** Ends the run at the next point it waits; its verdict is then `stopped`. */
  stop(actor: string): void {
    if (this.#abort.signal.aborted) return;
    this.#stopReason = `stopped by ${actor}`;
    this.#abort.abort();
  }

  snapshot(): DriverSnapshot {
    return {
      phase: this.#phase,
      holdingForMs: this.#holdingForMs,
      probes: [...this.#lastVerdicts].map(([name, passing]) => ({ name, passing })),
      pausedAt: this.#hold.pausedAtMs === null ? null : new Date(this.#liveAt + this.#hold.pausedAtMs).toISOString(),
      timeboxMs: this.#plan.timeboxMs + this.#hold.extendedMs,
    };
  }

  /**
   * Holds the scenario's timeline: no step fires and the timebox does not run down until resume().
   * Everything else goes on: faults already injected keep their own durations (the chaos agents
   * revert them at their time), probes, alerts and pages, levers; the run can resolve while paused.
   */
  pause(actor: string): Promise<HoldAnswer> {
    return this.#change(actor, pauseHold(this.#hold, this.#elapsed()), () => ['run.paused', { elapsedMs: Math.round(this.#timeline()) }]);
  }

  /** Lets the timeline go on where it stood; what was scheduled fires later by the time paused. */
  resume(actor: string): Promise<HoldAnswer> {
    const pausedAtMs = this.#hold.pausedAtMs;
    return this.#change(actor, resumeHold(this.#hold, this.#elapsed()), () => [
      'run.resumed',
      { pausedForMs: Math.round(this.#elapsed() - (pausedAtMs ?? 0)) },
    ]);
  }

  /** More time in the timebox (runAllowances.extensionMs in all). */
  extend(actor: string, minutes: number): Promise<HoldAnswer> {
    return this.#change(actor, extendHold(this.#hold, minutes), () => ['run.extended', { minutes, timeboxMs: this.#plan.timeboxMs + this.#hold.extendedMs }]);
  }

  /** Carries out a pause, resume or extension decided by run-decisions.ts, and records it for everyone to see. */
  async #change(actor: string, change: HoldChange, event: () => [EventKind, Record<string, unknown>]): Promise<HoldAnswer> {
    if (!this.#isLive())
      return {
        ok: false,
        problem: 'run_not_live',
        detail:
          this.#phase === 'warming'
            ? 'The run is still warming up (its timeline has not started): pause, resume and extend apply to a live run'
            : 'The run has ended',
      };
    if (!change.ok) return change;
    this.#hold = change.hold;
    const [kind, data] = event();
    await this.#record(kind, data, 'everyone', actor);
    return { ok: true };
  }

  #isLive(): boolean {
    return this.#phase !== 'warming' && this.#phase !== 'ended' && !this.#abort.signal.aborted;
  }

  /** What a lever would do to the causes active now (recorded on its lever.applied event). */
  annotate(lever: Lever): { matched: 'ends' | 'eases' | null } {
    const ended = new Set(this.#ends.map((end) => end.step));
    return {
      matched: leverEffectOnRun(
        this.#causes.filter((cause) => !ended.has(cause.step)),
        lever,
        { poisonJobIds: this.#poisonJobIds },
      ),
    };
  }

  /** Plays the run to its end. Never throws: a failure is a verdict. */
  async play(): Promise<RunVerdict> {
    try {
      const refused = await this.#warm();
      if (refused) return refused;
      return await this.#live();
    } catch (err) {
      if (err instanceof Stopped || this.#abort.signal.aborted) return { state: 'stopped', reason: this.#stopReason };
      this.#deps.logger.error({ err, runId: this.#run.id }, 'run failed');
      return { state: 'failed', reason: (err as Error).message };
    } finally {
      this.#phase = 'ended';
    }
  }

  /** Live time: probes, levers, causes and their durations. */
  #elapsed(): number {
    return this.#deps.clock.now() - this.#liveAt;
  }

  /** The scenario's timeline: live time less the time paused (steps and the timebox). */
  #timeline(): number {
    return timelineMs(this.#hold, this.#elapsed());
  }

  #checkStopped(): void {
    if (this.#abort.signal.aborted) throw new Stopped();
  }

  async #record(kind: EventKind, data: Record<string, unknown>, visibility: Visibility = 'everyone', actor = scenarioActor): Promise<TrainingEvent> {
    const [event] = await this.#deps.events.append([{ actor, kind, data, visibility, runId: this.#run.id }]);
    return event!;
  }

  async #warm(): Promise<RunVerdict | undefined> {
    const { clock, settings } = this.#deps;
    // Injecting into a shop that is already broken would teach nothing and grade noise.
    const active = await this.#deps.chaos.activeFaults();
    if (active.length > 0) {
      const named = active.map((f) => `${f.family}${f.target ? ` on ${f.target}` : ''} (${f.id})`).join(', ');
      return { state: 'refused', reason: `a fault is already active: ${named}; clear it first (\`lab chaos halt\`)` };
    }
    // k6's own bound: the gate, the timebox, the longest the instructor can extend and pause it, and
    // a margin; cleanup stops it sooner. The load must go on while paused: the probes read it.
    const maxSeconds = Math.ceil((settings.gateMaxMs + this.#plan.timeboxMs + runAllowances.extensionMs + runAllowances.pauseMs) / 1000) + 120;
    this.#load = this.#deps.startLoad(this.#run.id, this.#scenario.load, maxSeconds);

    const startedAt = clock.now();
    const rounds: ProbeRound[] = [];
    for (;;) {
      this.#checkStopped();
      const at = clock.now();
      rounds.push({ at, results: await this.#deps.evaluateProbes(this.#scenario.steadyState) });
      await this.#probeEvents(rounds.at(-1)!);
      const verdict = gateVerdict({ nowMs: clock.now(), startedAtMs: startedAt, rounds, consecutive: settings.gateRounds, maxMs: settings.gateMaxMs });
      if (verdict.state === 'open') return undefined;
      if (verdict.state === 'refused') return { state: 'refused', reason: `the shop is not in its steady state: ${verdict.failing.join('; ')}` };
      await clock.sleep(Math.max(0, at + settings.probeIntervalMs - clock.now()), this.#abort.signal);
    }
  }

  async #live(): Promise<RunVerdict> {
    const { clock, settings } = this.#deps;
    await this.#deps.store.setLive(this.#run.id);
    this.#liveAt = clock.now();
    this.#phase = 'steady';
    await this.#record('run.state', { state: 'live' });
    let nextProbe = 0;
    let nextAlertPoll = 0;
    for (;;) {
      this.#checkStopped();
      if (pauseRunOut(this.#hold, this.#elapsed())) await this.resume(scenarioActor);
      await this.#carryOutDueSteps();
      await this.#readLevers();
      await this.#endCauses();
      if (this.#elapsed() >= nextProbe) {
        nextProbe = this.#elapsed() + settings.probeIntervalMs;
        const round = { at: this.#elapsed(), results: await this.#deps.evaluateProbes(this.#scenario.steadyState) };
        this.#rounds.push(round);
        this.#forgetOldRounds();
        await this.#probeEvents(round);
      }
      if (this.#elapsed() >= nextAlertPoll) {
        nextAlertPoll = this.#elapsed() + settings.alertPollMs;
        await this.#pollAlerts();
      }
      const verdict = liveVerdict({
        nowMs: this.#elapsed(),
        liveAtMs: 0,
        plan: this.#plan,
        stepsDone: this.#stepsDone,
        causes: this.#causes,
        ends: this.#ends,
        rounds: this.#rounds,
        probes: this.#scenario.steadyState,
        hold: this.#hold,
      });
      if (verdict.outcome) return { state: verdict.outcome, reason: verdict.reason };
      this.#phase = verdict.phase;
      this.#holdingForMs = verdict.holdingForMs;
      const nextStep = this.#plan.steps[this.#stepsDone];
      // While paused the next step is not coming closer: wait a tick, not the (frozen) time until it.
      const paused = this.#hold.pausedAtMs !== null;
      const untilStep = nextStep && !paused ? nextStep.atMs - this.#timeline() : Number.POSITIVE_INFINITY;
      await clock.sleep(Math.max(0, Math.min(settings.tickMs, untilStep)), this.#abort.signal);
    }
  }

  async #carryOutDueSteps(): Promise<void> {
    for (let next = this.#plan.steps[this.#stepsDone]; next && next.atMs <= this.#timeline(); next = this.#plan.steps[this.#stepsDone]) {
      this.#checkStopped();
      await this.#carryOut(next);
      this.#stepsDone++;
    }
  }

  async #carryOut(planned: PlannedStep): Promise<void> {
    const faultIds: string[] = [];
    for (const action of planned.actions) {
      const id = await this.#act(action, planned);
      if (id) faultIds.push(id);
    }
    this.#faultsByStep.set(planned.step, faultIds);
    const cause = causesOf(this.#scenario, { ...this.#plan, steps: [planned] })[0];
    const started = await this.#record(
      'cause.started',
      {
        step: planned.step,
        faults: faultIds,
        actions: planned.actions,
        endsWith: this.#leverTexts(cause, 'endsWith'),
        eases: this.#leverTexts(cause, 'eases'),
      },
      'instructor',
    );
    if (cause) this.#causes.push({ ...cause, startedAtMs: this.#elapsed(), startEventId: started.id });
  }

  #leverTexts(cause: Cause | undefined, which: 'endsWith' | 'eases'): string[] {
    const step = this.#scenario.timeline[cause?.step ?? -1];
    return step ? step[which].map(formatLever) : [];
  }

  /** One action of a step; the cleanup list is written before the action, so a crash mid-way is undone too. */
  async #act(action: PlannedAction, planned: PlannedStep): Promise<string | undefined> {
    const { store, releases, flags, chaos } = this.#deps;
    const runId = this.#run.id;
    switch (action.kind) {
      case 'deploy':
        await store.addDeployed(runId, action.service);
        try {
          await releases.deploy(action.service, action.version, scenarioActor);
        } catch (err) {
          // Already on that version (left over by hand): the step's intent holds.
          if (!(err instanceof HttpProblem && err.type === trainingProblems.already_running)) throw err;
        }
        return undefined;
      case 'flag': {
        await store.addFlag(runId, action.flag);
        const before = this.#flagsBeforeStep.get(planned.step) ?? [];
        before.push({ flag: action.flag, value: flags.view(action.flag).value });
        this.#flagsBeforeStep.set(planned.step, before);
        await flags.set(action.flag, action.value, scenarioActor);
        return undefined;
      }
      case 'inject': {
        // Bounded even if nothing else ends it: the rest of the timebox, the longest the instructor
        // can still extend and pause it, and a margin — within the chaos controller's own 2 h limit.
        // (A fault with its own duration keeps it: a pause does not hold a fault already injected.)
        const durationMs =
          action.durationMs ??
          this.#plan.timeboxMs - planned.atMs + runAllowances.extensionMs + (runAllowances.pauseMs - pausedMs(this.#hold, this.#elapsed())) + 60_000;
        const forSeconds = Math.min(7_200, Math.max(1, Math.ceil(durationMs / 1000)));
        await store.setFaultsUnsure(runId);
        const fault = await chaos.inject({ ...action.fault, ...(action.release && { release: action.release }) }, forSeconds, `training:${runId}`);
        await store.addFault(runId, fault.id);
        // The crash-loop fault's poison job, named as the chaos agent names it (poisonJobId).
        if (action.fault.family === 'worker-death') this.#poisonJobIds.push(`legacy-${fault.id}`);
        await this.#record('fault.injected', { step: planned.step, faultId: fault.id, ...action.fault, release: action.release ?? null }, 'instructor');
        return fault.id;
      }
    }
  }

  async #readLevers(): Promise<void> {
    const events = await this.#deps.events.list({
      runId: this.#run.id,
      kind: 'lever.applied',
      after: this.#lastLeverEventId,
      limit: 100,
      visibility: ['everyone', 'instructor'],
    });
    for (const event of events) {
      this.#lastLeverEventId = event.id;
      const parsed = parseLever(String(event.data.lever ?? ''));
      if (!parsed.ok) continue;
      this.#levers.push({ eventId: event.id, atMs: this.#elapsed(), actor: event.actor, lever: parsed.lever });
      // A flag a trainee switched (failover, degraded mode, a timeout) is part of the run too: the
      // next run must start from the defaults, not from the last class's mitigation.
      const flag = leverFlag(parsed.lever);
      if (flag) await this.#deps.store.addFlag(this.#run.id, flag);
    }
  }

  async #endCauses(): Promise<void> {
    const ended = new Set(this.#ends.map((end) => end.step));
    for (const cause of this.#causes.filter((c) => !ended.has(c.step))) {
      const end = causeEnd(cause, this.#levers, this.#elapsed(), { poisonJobIds: this.#poisonJobIds });
      if (!end) continue;
      const faults = this.#faultsByStep.get(cause.step) ?? [];
      const actor = `training:${this.#run.id}`;
      // A rollback ends the faults bound to the release it undid, as any redeploy of that service does.
      if (end.by.kind === 'lever' && end.by.lever.kind === 'rollback') {
        await this.#deps.chaos.clearRelease(end.by.lever.service, actor);
        // The feature flags the release switched on go with it (Lab 1: the fraud check of payments 2.4.0).
        const step = this.#scenario.timeline[cause.step];
        if (step?.deploy?.service === end.by.lever.service)
          for (const { flag, value } of this.#flagsBeforeStep.get(cause.step) ?? []) await this.#deps.flags.set(flag, value, scenarioActor);
      }
      for (const id of faults) await this.#deps.chaos.clear(id, actor);
      await this.#deps.store.removeFaults(this.#run.id, faults);
      this.#ends.push(end);
      for (const id of faults) await this.#record('fault.cleared', { step: cause.step, faultId: id }, 'instructor');
      await this.#record(
        'cause.ended',
        end.by.kind === 'lever'
          ? { step: cause.step, by: 'lever', leverEventId: end.by.eventId, actor: end.by.actor, faults }
          : { step: cause.step, by: 'expired', faults },
        'instructor',
      );
    }
  }

  /** Only what the hold can still need: stability and the longest tolerance, plus a margin. */
  #forgetOldRounds(): void {
    const keepMs = this.#plan.stabilityMs + Math.max(0, ...this.#scenario.steadyState.map((p) => p.toleranceMs)) + 60_000;
    const lastEnd = Math.max(0, ...this.#ends.map((end) => end.atMs));
    const from = Math.min(lastEnd, this.#elapsed() - keepMs);
    while (this.#rounds.length > 0 && this.#rounds[0]!.at < from) this.#rounds.shift();
  }

  async #probeEvents(round: ProbeRound): Promise<void> {
    for (const change of probeChanges(this.#lastVerdicts, round)) {
      this.#lastVerdicts.set(change.probe, change.passing);
      await this.#record(change.passing ? 'probe.passing' : 'probe.failing', { probe: change.probe, detail: change.detail });
    }
  }

  /**
   * The team on call is paged for an expected alert of the scenario, once per alert per run: the
   * run's team (null: a run for no team in particular).
   */
  async #page(alertname: string, summary: string | null): Promise<void> {
    if (!pages(alertname, this.#scenario.expectedAlerts, this.#paged)) return;
    this.#paged.add(alertname);
    await this.#record('page', { alertname, summary }, 'everyone', 'lab');
    this.#deps.sendPage?.({ runId: this.#run.id, team: this.#run.team, alertname, summary });
  }

  /** Alerts that fired or resolved during the run, each recorded once. A controller away is only logged. */
  async #pollAlerts(): Promise<void> {
    let alerts: Awaited<ReturnType<RunDriverDeps['chaos']['alerts']>>;
    try {
      alerts = await this.#deps.chaos.alerts();
    } catch (err) {
      this.#deps.logger.warn({ err, runId: this.#run.id }, 'alerts could not be read');
      return;
    }
    const since = Date.parse(this.#run.createdAt);
    for (const alert of [...alerts].reverse()) {
      const during = alert.status === 'firing' || (alert.resolvedAt !== null && Date.parse(alert.resolvedAt) >= since);
      if (!during) continue;
      const key = `${alert.alertname}|${alert.firedAt}`;
      const data = { alertname: alert.alertname, severity: alert.severity, summary: alert.summary, firedAt: alert.firedAt };
      if (!this.#alertsSeen.has(`fired ${key}`)) {
        this.#alertsSeen.add(`fired ${key}`);
        await this.#record('alert.fired', data, 'everyone', 'alertmanager');
        await this.#page(alert.alertname, alert.summary);
      }
      if (alert.status === 'resolved' && !this.#alertsSeen.has(`resolved ${key}`)) {
        this.#alertsSeen.add(`resolved ${key}`);
        await this.#record('alert.resolved', { ...data, resolvedAt: alert.resolvedAt }, 'everyone', 'alertmanager');
      }
    }
  }
}
