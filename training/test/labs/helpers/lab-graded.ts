import { expect } from 'vitest';
import type { NativeLab } from '@firedrill/lab-infra';
import type { RunReport } from '../../../src/reports/report-schema.ts';
import { runsApi } from '../../helpers/runs-api.ts';
import { story, type LabPlay } from './lab-with-bot.ts';

/**
 * Every lab ends graded: the run's report (GET /api/runs/{id}/report?format=json, as the
 * instructor) carries a grade whose milestones are in the order they must be — the fault, then the
 * page, then the bot's acknowledgement; mitigated no later than resolved — all read from the
 * report's own timeline (the lab's event times, never the test's clock); TTD, TTA, TTM and TTR
 * measured and not negative; a score between 0 and 100; and the bot's review submitted with no
 * findings. Answers the report for lab-specific checks.
 */
export async function expectGraded(lab: NativeLab, play: LabPlay<unknown>): Promise<RunReport> {
  const { status, body: report } = await runsApi(lab).call<RunReport>('GET', `/api/runs/${play.run.id}/report?format=json`, 'instructor');
  expect(status, JSON.stringify(report)).toBe(200);
  const grade = report.grade;
  expect(grade, `${JSON.stringify(report.gradeWithheld)}\n${story(play)}`).not.toBeNull();
  if (!grade) return report;
  const findings = `grade findings: ${grade.findings.join('; ')}\n${story(play)}`;

  const first = (kind: string) => {
    const entry = report.timeline.find((e) => e.kind === kind);
    expect(entry, `no ${kind} in the report's timeline\n${findings}`).toBeDefined();
    return Date.parse(entry!.at);
  };
  const fault = Date.parse(grade.faultAt ?? '');
  expect(Number.isFinite(fault), findings).toBe(true);
  const page = first('page');
  const ack = first('incident.acknowledged');
  const mitigated = first('incident.mitigated');
  const resolved = first('incident.resolved');
  expect(fault, findings).toBeLessThanOrEqual(page);
  expect(page, findings).toBeLessThanOrEqual(ack);
  expect(mitigated, findings).toBeLessThanOrEqual(resolved);

  for (const [name, figure] of Object.entries(grade.times)) {
    expect(figure.ms, `${name}: ${figure.verdict}\n${findings}`).not.toBeNull();
    expect(figure.ms, `${name}\n${findings}`).toBeGreaterThanOrEqual(0);
  }
  // The acknowledgement is the page's answer: TTA is the journal's ack − page.
  expect(grade.times.acknowledge.ms).toBe(ack - page);
  expect(grade.times.resolve.ms).toBe(resolved - fault);

  expect(grade.score.total, findings).toBeGreaterThanOrEqual(0);
  expect(grade.score.total, findings).toBeLessThanOrEqual(100);
  expect(grade.pir, findings).not.toBeNull();
  expect(grade.pir?.findings, findings).toEqual([]);
  expect(
    grade.communication.rules.filter((r) => !r.passed),
    findings,
  ).toEqual([]);
  expect(grade.rootCause.named, findings).not.toBeNull();
  return report;
}
