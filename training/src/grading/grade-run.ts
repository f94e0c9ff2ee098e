import { formatDuration } from '@firedrill/chaos';
import { scaled } from '../scenario/timeline.ts';
import type { LabScenario } from '../scenario/scenario-schema.ts';
import { runMilestones, type JournalEvent } from '../runs/run-milestones.ts';
import { type CollateralMeasure, needlessLevers } from './collateral.ts';
import { communication } from './communication.ts';
import type { Grade } from './grade-schema.ts';
import { gradingSettings } from './grading-weights.ts';
import { atMs, dataOf, iso, numberField, ofKind, textField } from './grading-journal.ts';
import { rootCauseJudgement, severityJudgement } from './judgement.ts';
import { responseTimes } from './response-times.ts';
import { scoreOf } from './score.ts';

/** What grading reads of a scenario. */
export type GradedScenario = Pick<LabScenario, 'par' | 'stability' | 'answer' | 'grading'>;

export interface GradeInput {
  /** Every event of the run, instructor-only ones too. */
  journal: readonly JournalEvent[];
  scenario: GradedScenario;
  /** The run's --speed: the scenario's times (par, stability, the first-update rule) scale with it. */
  speed: number;
  /** What each needless lever broke, measured from the shop's data by the report gatherer. */
  collateral: readonly CollateralMeasure[];
  /**
   * The run's team's quiz.answered events wherever they were recorded: the quiz belongs to no run
   * (trainees often take it after their runs). Absent: the journal's own.
   */
  quiz?: readonly JournalEvent[];
}

/**
 * A run's grade: a pure function of its journal, its scenario and the collateral measures — no
 * clock, no I/O — so every rule is tested on hand-built journals and every figure comes from the
 * lab's own event times.
 */
export function gradeRun(input: GradeInput): Grade {
  const journal = [...input.journal].sort((a, b) => a.id - b.id);
  const { scenario, speed } = input;
  const settings = gradingSettings(scenario.grading);
  const par = {
    detect: scaled(scenario.par.detect, speed),
    acknowledge: scaled(scenario.par.acknowledge, speed),
    mitigate: scaled(scenario.par.mitigate, speed),
    resolve: scaled(scenario.par.resolve, speed),
  };
  const milestones = runMilestones(journal);
  const endMs = milestones.endedAtMs ?? (journal.length > 0 ? Math.max(...journal.map(atMs)) : 0);
  const { times, mitigatedBy, findings } = responseTimes(journal, milestones, par, scaled(scenario.stability, speed));

  const comms = communication(journal, scaled(settings.firstUpdateWithinMs, speed), endMs);
  if (ofKind(journal, 'incident.declared').length === 0) findings.push('no incident was declared');
  for (const rule of comms.rules) if (!rule.passed && !findings.includes(rule.detail)) findings.push(`communication: ${rule.detail}`);

  const severity = severityJudgement(journal, scenario.answer.severity);
  if (severity.levelsOff !== null && severity.levelsOff > 1)
    findings.push(`severity ${severity.final} is ${severity.levelsOff} levels from the answer key's ${severity.expected}`);
  const rootCause = rootCauseJudgement(journal, scenario.answer.category);
  if (!rootCause.correct) findings.push(`root cause named ${rootCause.named ?? 'nothing'}; the answer key says ${rootCause.expected}`);

  const taken = ofKind(journal, 'hint.taken').map((event) => ({
    index: numberField(event, 'index') ?? 0,
    cost: numberField(event, 'cost') ?? 0,
    at: event.at,
  }));
  const hints = { taken, totalCost: taken.reduce((sum, hint) => sum + hint.cost, 0) };
  if (taken.length > 0) findings.push(`${taken.length} hint${taken.length === 1 ? '' : 's'} taken, costing ${hints.totalCost} points`);

  const measured = new Map(input.collateral.map((measure) => [measure.eventId, measure.ordersFailed]));
  const collateral = needlessLevers(journal).map((lever) => ({
    lever: lever.lever,
    at: iso(lever.atMs),
    actor: lever.actor,
    component: lever.component,
    ordersFailed: measured.get(lever.eventId) ?? null,
  }));
  for (const lever of collateral)
    findings.push(
      `needless lever "${lever.lever}" on healthy ${lever.component}${lever.ordersFailed === null ? '' : `: ${lever.ordersFailed} orders failed in the next ${formatDuration(settings.collateralWindowMs)}`}`,
    );

  const pirEvent = ofKind(journal, 'pir.submitted').at(-1);
  const pir = pirEvent ? pirOf(pirEvent) : null;
  if (!pir) findings.push('no PIR was submitted');
  const quiz = ofKind(input.quiz ?? journal, 'quiz.answered').map((event) => ({
    trainee: textField(event, 'trainee') ?? event.actor,
    correct: numberField(event, 'correct') ?? 0,
    total: numberField(event, 'total') ?? 0,
  }));

  const graded = {
    faultAt: milestones.fault ? iso(milestones.fault.atMs) : null,
    times,
    mitigatedBy,
    communication: comms,
    severity,
    rootCause,
    hints,
    collateral,
    pir,
    quiz,
  };
  return { ...graded, findings: [...new Set(findings)], score: scoreOf(graded, settings) };
}

/** pir.submitted as lane D records it: { pirId, score 0–100, findings: { rule, line, message }[] }. */
function pirOf(event: JournalEvent): Grade['pir'] {
  const data = dataOf(event);
  const findings = Array.isArray(data.findings) ? (data.findings as Record<string, unknown>[]) : [];
  return {
    pirId: textField(event, 'pirId') ?? '?',
    score: numberField(event, 'score') ?? 0,
    findings: findings.map((finding) => ({
      rule: typeof finding.rule === 'string' ? finding.rule : '?',
      line: typeof finding.line === 'number' ? finding.line : null,
      message: typeof finding.message === 'string' ? finding.message : '',
    })),
  };
}
