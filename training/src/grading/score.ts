import { formatDuration } from '@firedrill/chaos';
import type { Grade, ScoreLine, TimeFigure } from './grade-schema.ts';
import type { GradingSettings } from './grading-weights.ts';

type Graded = Omit<Grade, 'score' | 'findings'>;

const round = (points: number) => Math.round(points * 10) / 10;

/** Full points within par, then linearly less until 0 at `zeroAt` × par; none when not reached. */
export function timePoints(figure: TimeFigure, max: number, zeroAt: number): number {
  if (figure.ms === null) return 0;
  if (figure.ms <= figure.parMs) return max;
  const span = (zeroAt - 1) * figure.parMs;
  return span <= 0 ? 0 : round(max * Math.max(0, 1 - (figure.ms - figure.parMs) / span));
}

const timeLine = (part: string, figure: TimeFigure, max: number, zeroAt: number, label: string): ScoreLine => ({
  part,
  points: timePoints(figure, max, zeroAt),
  max,
  figure: figure.ms === null ? 'not reached' : formatDuration(figure.ms),
  reason: `${label}: ${figure.verdict} (par ${formatDuration(figure.parMs)}; 0 points at ${zeroAt}× par)`,
});

/**
 * The score out of 100: each part's points beside its raw figure, then each deduction with its
 * figure and reason. Clamped to 0…100.
 */
export function scoreOf(grade: Graded, settings: GradingSettings): Grade['score'] {
  const { weights: w, zeroPointsAtPar: zeroAt } = settings;
  const parts: ScoreLine[] = [
    timeLine('detect', grade.times.detect, w.detect, zeroAt, 'time to detect'),
    timeLine('acknowledge', grade.times.acknowledge, w.acknowledge, zeroAt, 'time to acknowledge the page'),
    grade.mitigatedBy === 'instructor'
      ? {
          part: 'mitigate',
          points: 0,
          max: w.mitigate,
          figure: grade.times.mitigate.ms === null ? 'not reached' : formatDuration(grade.times.mitigate.ms),
          reason: 'the instructor ended it, not the team',
        }
      : timeLine('mitigate', grade.times.mitigate, w.mitigate, zeroAt, 'time to mitigate'),
    timeLine('resolve', grade.times.resolve, w.resolve, zeroAt, 'time to resolve'),
  ];

  const rules = grade.communication.rules;
  const passed = rules.filter((rule) => rule.passed).length;
  parts.push({
    part: 'communication',
    points: round((w.communication * passed) / rules.length),
    max: w.communication,
    // The longest wait for a promised update is the figure a late update is judged by.
    figure: `${passed} of ${rules.length} rules kept${grade.communication.longestGapMs === null ? '' : `; longest gap after a promise ${formatDuration(grade.communication.longestGapMs)}`}`,
    reason: rules.map((rule) => `${rule.passed ? 'kept' : 'missed'}: ${rule.detail}`).join('; '),
  });

  const { severity } = grade;
  const severityOk = severity.levelsOff !== null && severity.levelsOff <= 1;
  parts.push({
    part: 'severity',
    points: severityOk ? w.severity : 0,
    max: w.severity,
    figure: severity.final ?? 'none declared',
    reason:
      severity.levelsOff === null
        ? 'no severity was declared'
        : `${severity.final} is ${severity.levelsOff} level${severity.levelsOff === 1 ? '' : 's'} from the answer key's ${severity.expected} (within one level earns the points)`,
  });

  parts.push({
    part: 'rootCause',
    points: grade.rootCause.correct ? w.rootCause : 0,
    max: w.rootCause,
    figure: grade.rootCause.named ?? 'none named',
    reason: grade.rootCause.correct ? 'matches the answer key' : `the answer key says ${grade.rootCause.expected}`,
  });

  parts.push({
    part: 'pir',
    points: grade.pir ? round((w.pir * Math.min(100, Math.max(0, grade.pir.score))) / 100) : 0,
    max: w.pir,
    figure: grade.pir ? `${grade.pir.score}/100` : 'not submitted',
    reason: grade.pir ? `the PIR check scored ${grade.pir.score}/100 with ${grade.pir.findings.length} findings` : 'no PIR was submitted',
  });

  const deductions: ScoreLine[] = [];
  for (const hint of grade.hints.taken)
    deductions.push({
      part: 'hint',
      points: -hint.cost,
      max: null,
      figure: `hint ${hint.index + 1}`,
      reason: `hint ${hint.index + 1} taken (costs ${hint.cost})`,
    });
  for (const lever of grade.collateral) {
    const orders = lever.ordersFailed ?? 0;
    deductions.push({
      part: 'collateral',
      points: -round(settings.needlessLever + orders * settings.perFailedOrder),
      max: null,
      figure: `${lever.lever} on healthy ${lever.component}; ${lever.ordersFailed === null ? 'orders failed unknown' : `${orders} orders failed`}`,
      reason: `a needless lever (${settings.needlessLever}) plus ${settings.perFailedOrder} per order failed in its window`,
    });
  }

  const sum = [...parts, ...deductions].reduce((total, line) => total + line.points, 0);
  return { total: round(Math.min(100, Math.max(0, sum))), max: 100, parts, deductions };
}
