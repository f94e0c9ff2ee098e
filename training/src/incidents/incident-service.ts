import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { HttpProblem, problems } from '@firedrill/kit';
import type { EventStore, TrainingEvent } from '../events/event-store.ts';
import type { Caller } from '../ops/identity.ts';
import type { RunClock } from '../runs/run-clock.ts';
import type { RunRecord, RunStore } from '../runs/run-store.ts';
import { trainingProblems } from '../server/training-problems.ts';
import { decide, type IncidentCommand, type IncidentRefusal } from './incident-decide.ts';
import { foldIncident, incidentStateKinds, type IncidentState } from './incident-state.ts';
import { roleRefusal, teamForCaller, type TraineeDirectory } from './incident-team.ts';
import { nextHint, type ScenarioHint } from './next-hint.ts';
import { runTeamCommand, type CommandReply } from './team-command.ts';

export interface IncidentServiceDeps {
  pool: pg.Pool;
  events: Pick<EventStore, 'append' | 'listOfTeam'>;
  runs: Pick<RunStore, 'list'>;
  directory: TraineeDirectory;
  /** The hints of the scenario a run plays (its file's `hints`, in order). */
  hintsOf: (run: RunRecord) => readonly ScenarioHint[];
  clock: RunClock;
  /**
   * A run's team. Runs have no team column yet (the identities work may add one): until then
   * every run's team is null, "the run's team".
   */
  teamOfRun?: (run: RunRecord) => string | null;
  /**
   * Whether a run is on the caller's shop. A class runs a run per team's shop at the same time: a
   * trainee's command goes to its own shop's run, and another shop's newer run neither takes it nor
   * closes its window. Default (a single lab, one shop): every run.
   */
  onCallersShop?: (caller: Caller, run: RunRecord) => boolean;
}

/** What a command's request carries besides the command: the caller and its Idempotency-Key. */
export interface CommandRequest {
  caller: Caller;
  idempotencyKey: string;
  fingerprint: string;
  /** The team whose incident it is (`?team=`): the instructor's or the operator's pick in a class; a trainee's is its own. */
  team?: string | undefined;
}

/** A team's incident as the status route answers it. */
export type IncidentView = IncidentState & { runId: string; runState: string; team: string | null };

const refusalProblem: Record<IncidentRefusal['reason'], (typeof trainingProblems)[keyof typeof trainingProblems]> = {
  not_declared: trainingProblems.incident_not_declared,
  already_declared: trainingProblems.incident_already_declared,
  conflict: trainingProblems.incident_conflict,
};

/** How many runs back to look for a team's latest run (one run at a time; teams take turns). */
const recentRuns = 50;

/**
 * The incident shell: finds the team's run, serializes the team's commands (team-command.ts),
 * folds the journal, lets decide() rule and appends what it returns. Everything is an event in the
 * lab's database, so a restarted process answers the same from the same rows.
 */
/** Run states a verdict ended (the shop held, time ran out, someone stopped it): the incident may still be closed. */
const endedByVerdict = new Set(['resolved', 'timed_out', 'stopped']);

export function createIncidentService(deps: IncidentServiceDeps) {
  const teamOfRun = deps.teamOfRun ?? (() => null);
  const everyone = ['everyone' as const];

  /**
   * The recent runs (newest first) a caller's command or read may be about: those on its shop, and
   * of the team it names (`?team=`), which is how the instructor and the operator, who have no team
   * of their own, pick a team's incident in a class (without one: the newest run's). A trainee
   * names only its own team.
   */
  const runsFor = async (caller: Caller, asked: string | undefined): Promise<RunRecord[]> => {
    if (caller.role === 'trainee' && asked !== undefined && asked !== caller.team)
      throw new HttpProblem(trainingProblems.other_team, `A trainee acts on its own team's incident (yours is ${caller.team}), not team ${asked}'s`);
    const runs = (await deps.runs.list(recentRuns)).filter((run) => deps.onCallersShop?.(caller, run) ?? true);
    return asked === undefined ? runs : runs.filter((run) => teamOfRun(run) === asked);
  };

  /**
   * The run a team command acts on: the run now going (live), or — for the incident's own
   * commands, not hints — the latest run that ended by its verdict and has not been debriefed yet.
   * A run ends "resolved" when the shop's probes hold; the team still resolves its incident, posts
   * the resolution update and writes its PIR after that, and the grade counts TTR only when the
   * probes held. A failed or refused run takes nothing. A 409 says when there is none.
   */
  const commandRun = async (caller: Caller, allowEnded: boolean, asked: string | undefined): Promise<{ run: RunRecord; team: string | null }> => {
    const runs = await runsFor(caller, asked);
    const open = (r: RunRecord) => r.state === 'live' || (allowEnded && endedByVerdict.has(r.state) && r.debriefedAt === null);
    // Newest first: a newer finished run closes the window of older ones.
    const run = runs.find((r) => r.state !== 'warming' && r.state !== 'refused');
    if (!run || !open(run))
      throw new HttpProblem(
        trainingProblems.no_run_live,
        `${
          allowEnded ? 'No run is in progress or awaiting its debrief: incidents belong to a run' : 'No run is in progress: hints belong to a live run'
        }${asked === undefined ? '' : ` of team ${asked}`} (\`lab scenario run <scenario>\`)`,
      );
    const team = teamForCaller(caller, teamOfRun(run));
    if (!team.ok) throw new HttpProblem(trainingProblems.no_run_live, team.message);
    return { run, team: team.team };
  };

  /**
   * The team's current or latest run, for reading: a run warming up is the team's current one (its
   * incident is still empty), so the previous run's incident does not show as if it were today's.
   */
  const latestRun = async (caller: Caller, asked: string | undefined): Promise<{ run: RunRecord; team: string | null }> => {
    for (const run of await runsFor(caller, asked)) {
      if (run.state === 'refused') continue;
      const team = teamForCaller(caller, teamOfRun(run));
      if (team.ok) return { run, team: team.team };
    }
    throw new HttpProblem(trainingProblems.no_run_yet, 'The team has had no run yet: its incident and timeline begin with one');
  };

  const stateOf = async (runId: string, team: string | null, client?: pg.PoolClient) =>
    foldIncident(await deps.events.listOfTeam({ runId, team, kinds: incidentStateKinds, visibility: everyone }, client));

  const view = (run: RunRecord, team: string | null, state: IncidentState): IncidentView => ({ runId: run.id, runState: run.state, team, ...state });

  return {
    /** One incident command: decided on the team's journal, appended, answered (and kept for replays). */
    async command(command: IncidentCommand, request: CommandRequest): Promise<CommandReply> {
      const { run, team } = await commandRun(request.caller, true, request.team);
      if (command.kind === 'role') {
        const why = roleRefusal(command.trainee, await deps.directory.teamOf(command.trainee), team, request.caller);
        if (why) throw new HttpProblem(problems.validation_failed, why, { errors: [{ field: 'trainee', message: why }] });
      }
      return runTeamCommand(deps.pool, { runId: run.id, team, idempotencyKey: request.idempotencyKey, fingerprint: request.fingerprint }, async (client) => {
        const state = await stateOf(run.id, team, client);
        const decision = decide(command, state, { newIncidentId: `inc-${randomBytes(4).toString('hex')}` });
        if (!decision.ok) {
          const { reason, message, incidentId } = decision.refusal;
          throw new HttpProblem(refusalProblem[reason], message, incidentId === undefined ? {} : { extensions: { incidentId } });
        }
        await deps.events.append(
          decision.events.map((event) => ({ actor: request.caller.actor, kind: event.kind, data: event.data, runId: run.id, team })),
          client,
        );
        return { status: 200, body: view(run, team, await stateOf(run.id, team, client)) };
      });
    },

    /** The team's incident in its current or latest run. */
    async status(caller: Caller, asked?: string): Promise<IncidentView> {
      const { run, team } = await latestRun(caller, asked);
      return view(run, team, await stateOf(run.id, team));
    },

    /** What the team sees of its current or latest run: its own events and the lab's, everyone-visible only. */
    async timeline(caller: Caller, asked?: string): Promise<{ runId: string; team: string | null; events: TrainingEvent[] }> {
      const { run, team } = await latestRun(caller, asked);
      return { runId: run.id, team, events: await deps.events.listOfTeam({ runId: run.id, team, withLab: true, visibility: everyone }) };
    },

    /**
     * The next hint of the running scenario, once its `after` has elapsed since the run went live
     * (scaled by the run's speed), recorded as hint.taken; a 409 says when it comes.
     */
    async takeHint(request: CommandRequest): Promise<CommandReply> {
      const { run, team } = await commandRun(request.caller, false, request.team);
      return runTeamCommand(deps.pool, { runId: run.id, team, idempotencyKey: request.idempotencyKey, fingerprint: request.fingerprint }, async (client) => {
        const { hintsTaken } = await stateOf(run.id, team, client);
        const next = nextHint(deps.hintsOf(run), hintsTaken.length, { liveForMs: liveForMs(run), speed: run.speed });
        if (next.state === 'none-left') throw new HttpProblem(trainingProblems.no_hints_left, `All ${next.taken} hints of this scenario were taken`);
        if (next.state === 'later')
          throw new HttpProblem(trainingProblems.hint_not_yet, `Hint ${next.index + 1} is available in ${Math.ceil(next.inMs / 1000)} s`, {
            extensions: { availableInSeconds: Math.ceil(next.inMs / 1000) },
          });
        const data = { index: next.index, cost: next.cost, text: next.text };
        await deps.events.append([{ actor: request.caller.actor, kind: 'hint.taken', data, runId: run.id, team }], client);
        return { status: 200, body: { runId: run.id, hint: data } };
      });
    },

    /** The hints the team took in its current or latest run, and when the next one comes. */
    async hints(caller: Caller, asked?: string) {
      const { run, team } = await latestRun(caller, asked);
      const { hintsTaken } = await stateOf(run.id, team);
      const next = run.state === 'live' ? nextHint(deps.hintsOf(run), hintsTaken.length, { liveForMs: liveForMs(run), speed: run.speed }) : undefined;
      return {
        runId: run.id,
        taken: hintsTaken,
        next:
          next === undefined || next.state === 'none-left'
            ? null
            : { index: next.index, cost: next.cost, availableInSeconds: next.state === 'later' ? Math.ceil(next.inMs / 1000) : 0 },
      };
    },
  };

  function liveForMs(run: RunRecord): number {
    return run.liveAt ? Math.max(0, deps.clock.now() - Date.parse(run.liveAt)) : 0;
  }
}

export type IncidentService = ReturnType<typeof createIncidentService>;
