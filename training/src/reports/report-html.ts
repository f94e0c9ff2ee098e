import { formatDuration } from '@firedrill/chaos';
import type { RunReport } from './report-schema.ts';
import { sliChartSvg } from './sli-chart-svg.ts';

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const ms = (value: number | null) => (value === null ? '—' : formatDuration(value));

// Inline: the page must open from a USB stick on a machine without network.
const style = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:960px;color:#222}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f5}.instructor{color:#8e44ad}.score{font-size:2rem;font-weight:600}
.chart{width:100%;height:auto}.chart .panel{fill:#fafafa;stroke:#ccc}.chart .label,.chart .axis,.chart .event text{font-size:10px;fill:#555}
.chart .nodata{font-size:14px;fill:#999}.chart .event line{stroke:#999;stroke-dasharray:2 2}.chart .event.instructor line{stroke:#8e44ad}
.deduction td{color:#a04000}`;

/** The report as one self-contained HTML page: inline CSS and SVG, no code that runs, no link outside it. */
export function reportHtml(report: RunReport): string {
  const { run, grade } = report;
  const from = Date.parse(report.chart.from);
  const to = Date.parse(report.chart.to);
  const body: string[] = [
    `<h1>${esc(run.title ?? 'A blind run')} <small>${esc(run.id)}</small></h1>`,
    '<table>',
    row('Scenario', run.scenario ?? 'hidden until the debrief'),
    row('Team', run.team ?? 'none'),
    row('State', `${run.state}${run.reason ? ` (${run.reason})` : ''}`),
    row('Live / ended', `${run.liveAt ?? '—'} / ${run.endedAt ?? '—'}`),
    row('Seed / speed', `${run.seed} / ${run.speed}${run.blind ? ' (blind)' : ''}`),
    row('Debrief', run.debriefedAt ?? 'not yet'),
    '</table>',
  ];
  if (grade) {
    body.push(`<h2>Score</h2><p class="score">${grade.score.total} / ${grade.score.max}</p>`);
    body.push('<table><tr><th>part</th><th>points</th><th>figure</th><th>why</th></tr>');
    for (const line of grade.score.parts)
      body.push(`<tr><td>${esc(line.part)}</td><td>${line.points} / ${line.max}</td><td>${esc(line.figure)}</td><td>${esc(line.reason)}</td></tr>`);
    for (const line of grade.score.deductions)
      body.push(`<tr class="deduction"><td>${esc(line.part)}</td><td>${line.points}</td><td>${esc(line.figure)}</td><td>${esc(line.reason)}</td></tr>`);
    body.push('</table><h2>Times from the fault</h2><table><tr><th></th><th>time</th><th>par</th><th>verdict</th></tr>');
    for (const [name, figure] of Object.entries(grade.times))
      body.push(`<tr><td>${esc(name)}</td><td>${ms(figure.ms)}</td><td>${ms(figure.parMs)}</td><td>${esc(figure.verdict)}</td></tr>`);
    body.push(`</table><p>Fault at ${esc(grade.faultAt ?? '—')}; mitigated by ${esc(grade.mitigatedBy ?? '—')}.</p>`);
    if (report.answer)
      body.push(
        `<h2>Answer key</h2><p>Severity ${esc(report.answer.severity)} (final: ${esc(grade.severity.final ?? 'none')}); category ${esc(report.answer.category)} (named: ${esc(grade.rootCause.named ?? 'none')}). ${esc(report.answer.rootCause)}</p>`,
      );
    if (grade.findings.length > 0) body.push(`<h2>Findings</h2><ul>${grade.findings.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>`);
    if (grade.quiz.length > 0) body.push(`<h2>Quiz</h2><ul>${grade.quiz.map((q) => `<li>${esc(q.trainee)}: ${q.correct} of ${q.total}</li>`).join('')}</ul>`);
  } else body.push(`<h2>Score</h2><p>${esc(report.gradeWithheld ?? 'not graded')}</p>`);

  body.push('<h2>Signals</h2>', sliChartSvg(report.chart.series, report.timeline, { fromMs: from, toMs: to }, report.chart.unavailable));
  body.push('<h2>Timeline</h2><table><tr><th>#</th><th>time (UTC)</th><th>source</th><th>what</th></tr>');
  for (const [i, entry] of report.timeline.entries())
    body.push(
      `<tr class="${entry.visibility}"><td>${i + 1}</td><td>${esc(entry.at.slice(11, 19))}</td><td>${esc(entry.source)}</td><td>${esc(entry.summary)}</td></tr>`,
    );
  body.push('</table>');
  // The JSON contract rides along, so the page alone is the whole report (a script can read it back).
  const json = JSON.stringify(report).replace(/</g, '\\u003c');
  body.push(`<script type="application/json" id="report">${json}</script>`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(`Run report ${run.id}`)}</title><style>${style}</style></head><body>${body.join('\n')}</body></html>\n`;
}

const row = (label: string, value: string) => `<tr><th>${esc(label)}</th><td>${esc(value)}</td></tr>`;
