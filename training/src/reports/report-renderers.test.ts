import { describe, expect, it } from 'vitest';
import type { TrainingEvent } from '../events/event-store.ts';
import { gradeRun } from '../grading/grade-run.ts';
import type { RunRecord } from '../runs/run-store.ts';
import { buildReport } from './build-report.ts';
import { reportHtml } from './report-html.ts';
import { reportMarkdown } from './report-markdown.ts';
import { reportSchema, type SliChart } from './report-schema.ts';

const iso = (seconds: number) => new Date(Date.UTC(2026, 4, 1, 12, 0, 0) + seconds * 1000).toISOString();
const event = (
  id: number,
  seconds: number,
  kind: string,
  data: Record<string, unknown>,
  actor = 'scenario',
  visibility: 'everyone' | 'instructor' = 'everyone',
): TrainingEvent => ({
  id,
  at: iso(seconds),
  runId: 'run-0123456789ab',
  team: null,
  actor,
  kind,
  data,
  visibility,
});
const events: TrainingEvent[] = [
  event(1, 0, 'run.state', { state: 'live' }),
  event(2, 60, 'fault.injected', { family: 'latency', target: 'payments' }, 'scenario', 'instructor'),
  event(3, 120, 'page', { alertname: 'ApiHighLatencyP95', summary: null }, 'lab'),
  event(4, 150, 'incident.declared', { incidentId: 'inc-1', title: 'Checkout <slow> | bad', severity: 'P2' }, 'trainee:ada'),
  event(5, 600, 'run.state', { state: 'timed_out' }),
];
const run: RunRecord = {
  id: 'run-0123456789ab',
  requested: 'lab1-high-latency',
  scenario: 'lab1-high-latency',
  title: 'Checkout is slow',
  seed: 7,
  speed: 1,
  blind: true,
  state: 'timed_out',
  reason: null,
  createdBy: 'instructor',
  createdAt: iso(-30),
  liveAt: iso(0),
  endedAt: iso(600),
  team: 'red',
  shop: '',
  debriefedAt: null,
  cleanup: { faults: [], faultsUnsure: false, deployed: [], flags: [] },
};
const scenario = {
  par: { detect: 180_000, acknowledge: 300_000, mitigate: 900_000, resolve: 1_200_000 },
  stability: 60_000,
  answer: { severity: 'P2' as const, category: 'bad-release' as const, rootCause: 'payments 2.4.0 adds ~500 ms per charge' },
  grading: undefined,
};
const grade = gradeRun({ journal: events, scenario, speed: 1, collateral: [] });
const chart: SliChart = {
  from: iso(-60),
  to: iso(600),
  series: [
    {
      name: 'errorRatio',
      label: 'api error ratio',
      unit: 'ratio',
      points: [
        [Date.parse(iso(0)), 0],
        [Date.parse(iso(300)), 0.2],
      ],
    },
    {
      name: 'p95Ms',
      label: 'checkout p95',
      unit: 'ms',
      points: [
        [Date.parse(iso(0)), 120],
        [Date.parse(iso(300)), 640],
      ],
    },
  ],
  unavailable: null,
};
const report = (viewer: 'instructor' | 'trainee', overrides: Partial<RunRecord> = {}, withChart = chart) =>
  buildReport({ run: { ...run, ...overrides }, events, grade, answer: scenario.answer, chart: withChart, viewer });

describe('buildReport', () => {
  it("when a trainee reads a run before the debrief, then instructor-only events, the grade, the answer and a blind run's scenario are withheld", () => {
    const r = report('trainee');
    expect(r.timeline.map((e) => e.kind)).toEqual(['run.state', 'page', 'incident.declared', 'run.state']);
    expect(r.grade).toBeNull();
    expect(r.answer).toBeNull();
    expect(r.gradeWithheld).toBe('the grade and the answer key are shown after the debrief');
    expect(r.run.scenario).toBeNull();
    expect(reportSchema.parse(r)).toEqual(r);
  });

  it('when the run has been debriefed, then the trainee sees everything the instructor sees', () => {
    const r = report('trainee', { debriefedAt: iso(700) });
    expect(r.timeline).toEqual(report('instructor').timeline);
    expect(r.timeline.find((e) => e.kind === 'fault.injected')).toMatchObject({
      source: 'scenario',
      summary: 'fault injected: latency on payments',
      visibility: 'instructor',
    });
    expect(r.grade?.score.total).toBe(grade.score.total);
    expect(r.run.scenario).toBe('lab1-high-latency');
  });
});

describe('reportMarkdown', () => {
  it('when rendered for the instructor, then the score, each part with its reason, the times against par and the timeline with sources are there', () => {
    const md = reportMarkdown(report('instructor'));
    expect(md).toContain(`## Score: ${grade.score.total} / 100`);
    expect(md).toMatch(/\| detect \| \d+(\.\d+)? \/ 15 \| 1m30s \| time to detect: within par/);
    expect(md).toContain('| mitigate | — | 15m | not reached |');
    expect(md).toContain('| 2 | 12:01:00 | scenario | fault injected: latency on payments *(instructor)* |');
    // A pipe in a trainee's text must not break the table.
    expect(md).toContain('Checkout <slow> \\| bad');
  });
});

describe('reportHtml', () => {
  it('when rendered, then the page is self-contained: no external src or href, inline CSS, an inline SVG with every event numbered', () => {
    const html = reportHtml(report('instructor'));
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toContain('<style>');
    expect(html).toMatch(/<svg viewBox="0 0 900 \d+"/);
    expect((html.match(/<g class="event /g) ?? []).length).toBe(events.length * 2); // each event on both panels
    expect(html).toContain('<path d="M');
  });

  it("when a trainee's text holds markup, then it is escaped, also in the embedded JSON", () => {
    const html = reportHtml(report('instructor'));
    expect(html).toContain('Checkout &lt;slow&gt; | bad');
    expect(html).not.toContain('<slow>');
    const json = /<script type="application\/json" id="report">(.*)<\/script>/.exec(html)?.[1];
    expect(reportSchema.parse(JSON.parse(json!)).run.id).toBe(run.id);
  });

  it('when Prometheus was away, then the chart says "no data" and the rest of the report renders', () => {
    const away: SliChart = { from: iso(-60), to: iso(600), series: [], unavailable: 'Prometheus did not answer (fetch failed)' };
    const html = reportHtml(report('instructor', {}, away));
    expect(html).toContain('no data: Prometheus did not answer (fetch failed)');
    expect(html).toContain('<h2>Timeline</h2>');
    expect(reportMarkdown(report('instructor', {}, away))).toContain('No data: Prometheus did not answer (fetch failed).');
  });
});
