import type { PrometheusClient } from '@firedrill/kit';

import path from 'node:path';
import { HttpProblem, problems } from '@firedrill/kit';
import type { EventStore, TrainingEvent } from '../events/event-store.ts';
import { needlessLevers } from '../grading/collateral.ts';
import type { Grade } from '../grading/grade-schema.ts';
import { gradeRun } from '../grading/grade-run.ts';
import { gradingSettings } from '../grading/grading-weights.ts';
import type { Caller } from '../ops/identity.ts';
import type { RunClock } from '../runs/run-clock.ts';
import { isFinished, type RunRecord, type RunStore } from '../runs/run-store.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import { isOncall, type LabScenario } from '../scenario/scenario-schema.ts';
import { trainingProblems } from '../server/training-problems.ts';
import { buildReport, seesEverything } from './build-report.ts';
import { measureCollateral, type ShopQuery } from './collateral-gatherer.ts';
import type { RunReport } from './report-schema.ts';
import type { Scoreboard } from './scoreboard-schema.ts';
import { readSliChart } from './sli-series.ts';

export interface ReportServiceDeps {
  store: RunStore;
  events: EventStore;
  scenariosDir: string;
  /** The database of the run's shop, for what needless levers broke; undefined where none is reachable. */
  shopQueryOf: (run: RunRecord) => ShopQuery | undefined;
  prometheus: PrometheusClient | undefined;
  clock: RunClock;
}

/** The chart starts a minute before the run went live, to show the steady state it broke. */
const chartLeadMs = 60_000;

/**
 * The imperative shell around grading: reads a run's journal, its scenario, what needless levers
 * broke (the shop's database) and the SLIs (Prometheus), and hands them to the pure grade and
 * report. Who may see what is decided here and in buildReport, once.
 */
export function createReportService(deps: ReportServiceDeps) {
  const { store, events } = deps;

  const mustGet = async (id: string): Promise<RunRecord> => {
    const run = await store.get(id);
    if (!run) throw new HttpProblem(problems.not_found, `No run ${id}`);
    return run;
  };
  /** A trainee reads its own team's runs only; the operator and the instructor any run. */
  const mayRead = (run: RunRecord, caller: Caller) => caller.role !== 'trainee' || (caller.team !== null && run.team === caller.team);
  const journalOf = (runId: string): Promise<TrainingEvent[]> => events.list({ runId, limit: 1_000_000, visibility: ['everyone', 'instructor'] });
  const scenarioOf = (run: RunRecord): LabScenario | undefined => {
    try {
      const { scenario } = loadScenario(path.join(deps.scenariosDir, run.scenario));
      return isOncall(scenario) ? undefined : scenario;
    } catch {
      return undefined; // the file changed or went away since the run: reported as ungradable
    }
  };
  /**
   * The quiz scores of the run's team, whenever its trainees answered (before, during or after the
   * run: the quiz is no run's). A run for no team reports the answers recorded during it.
   */
  const teamQuizOf = async (run: RunRecord): Promise<TrainingEvent[] | undefined> => {
    if (run.team === null) return undefined;
    const answered = await events.list({ kind: 'quiz.answered', limit: 100_000, visibility: ['everyone', 'instructor'] });
    return answered.filter((event) => event.team === run.team);
  };
  const gradeOf = async (run: RunRecord, journal: readonly TrainingEvent[], scenario: LabScenario | undefined): Promise<Grade | null> => {
    if (!scenario) return null;
    const settings = gradingSettings(scenario.grading);
    const [collateral, quiz] = await Promise.all([
      measureCollateral(needlessLevers(journal), settings.collateralWindowMs, deps.shopQueryOf(run)),
      teamQuizOf(run),
    ]);
    return gradeRun({ journal, scenario, speed: run.speed, collateral, ...(quiz && { quiz }) });
  };

  return {
    async report(id: string, caller: Caller): Promise<RunReport> {
      const run = await mustGet(id);
      if (!mayRead(run, caller)) throw new HttpProblem(problems.forbidden, `Run ${id} is another team's; a trainee reads its own team's runs`);
      const journal = await journalOf(id);
      const scenario = scenarioOf(run);
      const fromMs = Date.parse(run.liveAt ?? run.createdAt) - chartLeadMs;
      const toMs = run.endedAt ? Date.parse(run.endedAt) : deps.clock.now();
      const [grade, chart] = await Promise.all([
        gradeOf(run, journal, scenario),
        readSliChart(deps.prometheus, fromMs, Math.max(toMs, fromMs + 1_000), run.shop === '' ? null : run.shop),
      ]);
      return buildReport({ run, events: journal, grade, answer: scenario ? { ...scenario.answer } : null, chart, viewer: caller.role });
    },

    /** The instructor held the debrief: from now on trainees see the whole run. Only a finished run has one. */
    async debrief(id: string, actor: string): Promise<RunRecord> {
      const run = await mustGet(id);
      if (!isFinished(run.state)) throw new HttpProblem(trainingProblems.run_not_finished, `Run ${id} is ${run.state}; debrief it once it has ended`);
      const debriefed = (await store.markDebriefed(id))!;
      // Once, on the first debrief: the trainees' pages watch the run's events and re-read the report.
      if (run.debriefedAt === null) await events.append([{ actor, kind: 'run.debriefed', data: {}, visibility: 'everyone', runId: id, team: run.team }]);
      return debriefed;
    },

    /**
     * Teams × runs with scores, newest first. Trainees see every team's scores (a class's
     * scoreboard), but a run's score only once it is debriefed, as in its report; never timelines.
     */
    async scoreboard(caller: Caller, limit = 200): Promise<Scoreboard> {
      const runs = await store.list(limit);
      const teams = new Map<string | null, Scoreboard['teams'][number]>();
      for (const run of runs) {
        const shown = isFinished(run.state) && seesEverything(caller.role, run);
        const grade = shown ? await gradeOf(run, await journalOf(run.id), scenarioOf(run)) : null;
        const hideScenario = run.blind && !seesEverything(caller.role, run);
        const entry = {
          runId: run.id,
          scenario: hideScenario ? null : run.scenario,
          state: run.state,
          endedAt: run.endedAt,
          debriefed: run.debriefedAt !== null,
          score: grade?.score.total ?? null,
          pending: grade ? null : !isFinished(run.state) ? 'the run has not ended' : shown ? 'the scenario cannot be graded' : 'after the debrief',
        };
        const team = teams.get(run.team) ?? { team: run.team, best: null, runs: [] };
        team.runs.push(entry);
        if (entry.score !== null) team.best = Math.max(team.best ?? 0, entry.score);
        teams.set(run.team, team);
      }
      return { teams: [...teams.values()].sort((a, b) => (b.best ?? -1) - (a.best ?? -1)) };
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;
