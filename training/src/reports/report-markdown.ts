import { formatDuration } from '@firedrill/chaos';
import type { RunReport } from './report-schema.ts';

/** Text in a Markdown table cell: pipes escaped, one line. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const time = (iso: string) => iso.slice(11, 19);
const ms = (value: number | null) => (value === null ? '—' : formatDuration(value));

/** The report as Markdown: a trainer's page in any viewer, a PIR's source of facts. */
export function reportMarkdown(report: RunReport): string {
  const { run, grade } = report;
  const lines: string[] = [
    `# Run report: ${run.title ?? 'a blind run'} (${run.id})`,
    '',
    `- Scenario: ${run.scenario ?? 'hidden until the debrief'}`,
    `- Team: ${run.team ?? 'none'}`,
    `- State: ${run.state}${run.reason ? ` (${run.reason})` : ''}`,
    `- Live ${run.liveAt ?? '—'}, ended ${run.endedAt ?? '—'}; seed ${run.seed}, speed ${run.speed}${run.blind ? ', blind' : ''}`,
    `- Debrief: ${run.debriefedAt ?? 'not yet'}`,
    '',
  ];
  if (grade) {
    lines.push(`## Score: ${grade.score.total} / ${grade.score.max}`, '', '| part | points | figure | why |', '|---|---|---|---|');
    for (const line of grade.score.parts) lines.push(`| ${line.part} | ${line.points} / ${line.max} | ${cell(line.figure)} | ${cell(line.reason)} |`);
    for (const line of grade.score.deductions) lines.push(`| ${line.part} | ${line.points} | ${cell(line.figure)} | ${cell(line.reason)} |`);
    lines.push('', '## Times (from the fault)', '', '| | time | par | verdict |', '|---|---|---|---|');
    for (const [name, figure] of Object.entries(grade.times)) lines.push(`| ${name} | ${ms(figure.ms)} | ${ms(figure.parMs)} | ${figure.verdict} |`);
    lines.push('', `Fault at ${grade.faultAt ?? '—'}; mitigated by ${grade.mitigatedBy ?? '—'}.`, '');
    if (report.answer)
      lines.push(
        '## Answer key',
        '',
        `- Severity ${report.answer.severity} (declared ${grade.severity.declared ?? 'none'}, final ${grade.severity.final ?? 'none'})`,
        `- Category ${report.answer.category} (named ${grade.rootCause.named ?? 'none'})`,
        `- ${report.answer.rootCause}`,
        '',
      );
    if (grade.findings.length > 0) lines.push('## Findings', '', ...grade.findings.map((finding) => `- ${finding}`), '');
    if (grade.quiz.length > 0) lines.push('## Quiz', '', ...grade.quiz.map((q) => `- ${q.trainee}: ${q.correct} of ${q.total}`), '');
    if (grade.pir && grade.pir.findings.length > 0)
      lines.push('## PIR check', '', ...grade.pir.findings.map((f) => `- ${f.rule}${f.line === null ? '' : ` (line ${f.line})`}: ${f.message}`), '');
  } else lines.push(`## Score`, '', report.gradeWithheld ?? 'not graded', '');

  lines.push('## Signals', '');
  if (report.chart.unavailable) lines.push(`No data: ${report.chart.unavailable}.`, '');
  else
    for (const series of report.chart.series) {
      const values = series.points.map(([, value]) => value);
      lines.push(`- ${series.label}: ${values.length} points, max ${values.length > 0 ? round(Math.max(...values)) : '—'} ${series.unit}`);
    }
  lines.push('', '## Timeline', '', '| # | time (UTC) | source | what |', '|---|---|---|---|');
  for (const [i, entry] of report.timeline.entries())
    lines.push(
      `| ${i + 1} | ${time(entry.at)} | ${cell(entry.source)} | ${cell(entry.summary)}${entry.visibility === 'instructor' ? ' *(instructor)*' : ''} |`,
    );
  return `${lines.join('\n')}\n`;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
