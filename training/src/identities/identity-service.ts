import { HttpProblem, problems } from '@firedrill/kit';
import type { EventStore } from '../events/event-store.ts';
import type { Caller } from '../ops/identity.ts';
import { trainingProblems } from '../server/training-problems.ts';
import { teamForRun } from './run-team.ts';
import { IdentityExistsError, UnknownTeamError, type Team, type Trainee, type TraineeStore } from './trainee-store.ts';

/**
 * Teams and trainees as the instructor manages them: each change is an identity.changed event
 * (instructor-only, and never with the token); the store's refusals become HTTP answers.
 */
export function createIdentityService(deps: { store: TraineeStore; events: EventStore }) {
  const { store, events } = deps;
  const changed = (caller: Caller, data: Record<string, unknown>, team: string) =>
    // The team's own events; outside any run (identities are set up before a class, not during a run).
    events.append([{ actor: caller.actor, kind: 'identity.changed', data, visibility: 'instructor', team, runId: null }]);
  const refused = (err: unknown): never => {
    if (err instanceof IdentityExistsError) throw new HttpProblem(problems.conflict, err.message, { cause: err });
    if (err instanceof UnknownTeamError) throw unknownTeam(err.team);
    throw err;
  };

  return {
    async addTeam(name: string, caller: Caller): Promise<Team> {
      const team = await store.addTeam(name).catch(refused);
      await changed(caller, { action: 'team.added', team: name }, name);
      return team;
    },

    listTeams: () => store.listTeams(),

    /** The trainee and its token, which the caller must hand over now: it is not kept. */
    async addTrainee(name: string, team: string, caller: Caller): Promise<Trainee & { token: string }> {
      const { trainee, token } = await store.addTrainee(name, team).catch(refused);
      await changed(caller, { action: 'trainee.added', trainee: name, team }, team);
      return { ...trainee, token };
    },

    listTrainees: () => store.listTrainees(),

    async removeTrainee(name: string, caller: Caller): Promise<Trainee> {
      const removed = await store.removeTrainee(name);
      if (!removed) throw new HttpProblem(problems.not_found, `No trainee "${name}" (GET /api/trainees lists them)`);
      await changed(caller, { action: 'trainee.removed', trainee: name, team: removed.team }, removed.team);
      return removed;
    },

    /** The team of a new run (run-team.ts decides); an unknown team is refused. */
    async teamForRun(requested: string | undefined): Promise<string | null> {
      const teams = (await store.listTeams()).map((t) => t.name);
      const team = teamForRun(requested, teams);
      if (team === undefined) throw unknownTeam(requested ?? '');
      return team;
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;

const unknownTeam = (team: string) =>
  new HttpProblem(trainingProblems.unknown_team, `No team "${team}" (GET /api/teams lists them; POST /api/teams adds one)`, {
    errors: [{ field: 'team', message: `no team "${team}"` }],
  });
