import type { TrainingEvent } from '../events/event-store.ts';
import type { Grade } from '../grading/grade-schema.ts';
import type { Role } from '../ops/identity.ts';
import type { RunRecord } from '../runs/run-store.ts';
import { eventSummary } from './event-summary.ts';
import { reportVersion, type RunReport, type SliChart } from './report-schema.ts';

export interface ReportInput {
  run: RunRecord;
  /** Every event of the run, instructor-only ones too: the report decides what the viewer sees. */
  events: readonly TrainingEvent[];
  /** The grade (null when the run's scenario cannot be graded: an unreadable file). */
  grade: Grade | null;
  answer: RunReport['answer'];
  chart: SliChart;
  viewer: Role;
}

/**
 * Who sees what: the instructor everything; anyone else the events everyone sees — until the
 * debrief, after which the run holds no secrets (instructor-only events, the answer key, the
 * grade, a blind run's scenario).
 */
export function seesEverything(viewer: Role, run: Pick<RunRecord, 'debriefedAt'>): boolean {
  return viewer === 'instructor' || run.debriefedAt !== null;
}

/** The report of one run for one viewer: a pure function, so the same input always renders the same report. */
export function buildReport(input: ReportInput): RunReport {
  const { run, viewer } = input;
  const everything = seesEverything(viewer, run);
  const withheld = everything ? null : 'the grade and the answer key are shown after the debrief';
  const timeline = input.events
    .filter((event) => everything || event.visibility === 'everyone')
    .map((event) => ({ id: event.id, at: event.at, source: event.actor, kind: event.kind, summary: eventSummary(event), visibility: event.visibility }));
  const hideScenario = run.blind && !everything;
  return {
    reportVersion,
    run: {
      id: run.id,
      scenario: hideScenario ? null : run.scenario,
      title: hideScenario ? null : run.title,
      team: run.team,
      state: run.state,
      reason: run.reason,
      seed: run.seed,
      speed: run.speed,
      blind: run.blind,
      createdAt: run.createdAt,
      liveAt: run.liveAt,
      endedAt: run.endedAt,
      debriefedAt: run.debriefedAt,
    },
    viewer: { role: viewer, seesEverything: everything },
    grade: everything ? input.grade : null,
    gradeWithheld: withheld ?? (input.grade ? null : 'this run cannot be graded: its scenario file does not load'),
    answer: everything ? input.answer : null,
    timeline,
    chart: input.chart,
  };
}
