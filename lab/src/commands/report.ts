import { writeFileSync } from 'node:fs';
import { reportHtml, reportMarkdown, reportsApi, runsApi } from '@firedrill/training';
import { exitCodes, UsageError, type Command } from '../cli/command.ts';
import { progress, result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { readingClient } from '../cli/training-client.ts';
import { runOrLatest } from '../runs/run-choice.ts';

const usage = `lab report [run id] [--json|--md|--html] [--out file]

  a run's report (by default the latest run): score with every figure and deduction, times
  against par, findings, timeline with sources, SLI chart (HTML)
  --json        the JSON contract (reportVersion 1, docs/reports.md)
  --md          Markdown (the default)
  --html        one self-contained HTML page (inline CSS and SVG; opens without network)
  --out file    write it to a file instead of stdout

  Trainees see the grade and instructor-only events after \`lab debrief\`.`;

/** `lab report`: the run report, rendered here from the API's JSON with the server's renderers. */
export const reportCommand: Command = {
  name: 'report',
  summary: "a run's report: grade, times against par, timeline; Markdown, HTML or JSON",
  usage,
  options: { json: { type: 'boolean' }, md: { type: 'boolean' }, html: { type: 'boolean' }, out: { type: 'string' } },
  positionals: { min: 0, max: 1 },
  async run({ values, positionals, config }) {
    const formats = (['json', 'md', 'html'] as const).filter((format) => values[format] === true);
    if (formats.length > 1) throw new UsageError(`choose one of --json, --md, --html (got ${formats.map((f) => `--${f}`).join(' ')})`);
    if (values.out === '') throw new UsageError('--out needs a file name');
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const client = readingClient(lab, config);
    const runId = await runOrLatest(runsApi(client), positionals[0]);
    const report = await reportsApi(client).report(runId);
    const format = formats[0] ?? 'md';
    const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'html' ? reportHtml(report) : reportMarkdown(report);
    if (typeof values.out === 'string') {
      writeFileSync(values.out, text);
      progress(`lab: the report of ${runId} is in ${values.out}`);
    } else result(text);
    return exitCodes.ok;
  },
};
