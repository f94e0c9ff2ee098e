import { HttpProblem, problems } from '@firedrill/kit';
import type { EventStore } from '../events/event-store.ts';
import type { Caller } from '../ops/identity.ts';
import { trainingProblems } from '../server/training-problems.ts';
import type { ImpactFigures } from './impact-figures.ts';
import { impactWindow, type ImpactWindow } from './impact-window.ts';
import { checkPir, type PirFinding } from './pir-check.ts';
import { draftPir } from './pir-draft.ts';
import { personOf, visibleEvents, type PirEvent, type PirRun } from './pir-events.ts';
import { scorePir } from './pir-score.ts';
import type { PirStore, StoredPir } from './pir-store.ts';

export interface PirServiceDeps {
  store: PirStore;
  events: EventStore;
  /** The impact figures over a window (gather-impact-figures.ts; tests pass their own). */
  figures: (window: ImpactWindow | null, run: PirRun) => Promise<ImpactFigures>;
}

/** A review larger than this is refused (413): a PIR is pages, not megabytes. */
export const maxPirBytes = 256 * 1024;

/**
 * The PIR's use cases: draft one from a run, check one, submit one (checked and scored here, on
 * the server, whatever the client checked). The rules are the pure functions beside this file;
 * this is only who may, which run, and storing.
 */
export function createPirService(deps: PirServiceDeps) {
  /** The run, if this caller may write its review and it has ended. */
  const endedRunFor = async (runId: string, caller: Caller): Promise<PirRun> => {
    const run = await deps.store.run(runId);
    if (!run) throw new HttpProblem(problems.not_found, `No run ${runId}`);
    // A trainee reviews its own team's runs only; a run without a team (before identities) is no team's.
    if (caller.role === 'trainee' && (run.team === null || run.team !== caller.team))
      throw new HttpProblem(problems.forbidden, `Run ${runId} is not your team's run`);
    if (run.endedAt === null) throw new HttpProblem(trainingProblems.run_not_ended, `Run ${runId} is ${run.state}: write its review once it has ended`);
    return run;
  };

  /** The run's journal as the team saw it (never instructor-only events), paged through. */
  const journalOf = async (runId: string): Promise<PirEvent[]> => {
    const all: PirEvent[] = [];
    for (let after = 0; ; ) {
      const page = await deps.events.list({ runId, after, limit: 1000, visibility: ['everyone'] });
      all.push(...page);
      if (page.length < 1000) return visibleEvents(all);
      after = page.at(-1)!.id;
    }
  };

  return {
    async draft(runId: string, caller: Caller): Promise<{ runId: string; markdown: string; figures: ImpactFigures }> {
      const run = await endedRunFor(runId, caller);
      const journal = await journalOf(runId);
      const figures = await deps.figures(impactWindow(journal), run);
      return { runId, markdown: draftPir(run, journal, figures), figures };
    },

    check(markdown: string, names: readonly string[] = []): { findings: PirFinding[]; score: number } {
      const findings = checkPir(markdown, { names });
      return { findings, score: scorePir(findings) };
    },

    async submit(runId: string, markdown: string, caller: Caller): Promise<StoredPir> {
      const run = await endedRunFor(runId, caller);
      const findings = checkPir(markdown, { names: respondersOf(await journalOf(runId)) });
      return deps.store.submit({
        runId,
        team: run.team ?? caller.team,
        markdown,
        findings,
        score: scorePir(findings),
        submittedBy: caller.actor,
      });
    },
  };
}

/** Everyone who took part: the names given incident roles and the people who acted. */
export function respondersOf(journal: readonly PirEvent[]): string[] {
  const names = new Set<string>();
  for (const event of journal) {
    if (event.kind === 'incident.role' && typeof event.data.trainee === 'string') names.add(event.data.trainee);
    const person = personOf(event.actor);
    if (person) names.add(person);
  }
  return [...names];
}

export type PirService = ReturnType<typeof createPirService>;
