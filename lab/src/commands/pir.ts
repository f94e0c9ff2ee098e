import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { checkPir, maxPirBytes, type ImpactFigures, type PirFinding, type Run } from '@firedrill/training';
import { exitCodes, LabRefusal, UsageError, type Command } from '../cli/command.ts';
import { progress, result } from '../cli/output.ts';
import { runningLab, type RunningLab } from '../cli/running-lab.ts';
import { trainingClient } from '../cli/training-client.ts';
import type { LabConfig } from '../config/lab-config.ts';

const defaultFile = 'pir.md';

/**
 * `lab pir new|check|submit`: the post-incident review as a Markdown file the team writes in any
 * editor. `new` drafts it from a run's events, `check` lists what is missing or not blameless
 * (locally, with the same checker the server runs: no lab needed), `submit` records it — the
 * server checks and scores it again, also against the names of the run's responders.
 */
export const pirCommand: Command = {
  name: 'pir',
  summary: 'the post-incident review: `new` drafts pir.md from a run, `check` lists what is missing or not blameless, `submit` records and scores it',
  usage: `lab pir new [--run <id>] [--out ${defaultFile}] [--force]\nlab pir check [file]\nlab pir submit [file] [--run <id>] [--json]\n\n  --run defaults to the latest run; file to ${defaultFile}`,
  options: { run: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: { min: 1, max: 2 },
  async run({ values, positionals, config }) {
    const [action, file] = positionals;
    if (action === 'check') return check(file ?? defaultFile);
    if (action !== 'new' && action !== 'submit') throw new UsageError(`unknown pir action "${action}"; usage:\n${pirCommand.usage}`);
    const out = typeof values.out === 'string' ? values.out : (file ?? defaultFile);
    // Refused before the lab is asked anything: a team's edits are never lost to a new draft.
    if (action === 'new' && existsSync(out) && values.force !== true)
      throw new LabRefusal(`${out} exists: keep the team's edits, or overwrite it with --force`);
    const markdown = action === 'submit' ? readReview(file ?? defaultFile) : undefined;
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const runId = typeof values.run === 'string' ? values.run : await latestRunId(lab, config);
    if (markdown === undefined) return draft(lab, config, runId, out);
    return submit(lab, config, runId, file ?? defaultFile, markdown, values.json === true);
  },
};

async function latestRunId(lab: RunningLab, config: Pick<LabConfig, 'stateDir'>): Promise<string> {
  const { runs } = await trainingClient(lab, config).get<{ runs: Run[] }>('/api/runs');
  const latest = runs[0];
  if (!latest) throw new LabRefusal('no run yet: a PIR is written about a run (`lab scenario run <id>`)');
  return latest.id;
}

async function draft(lab: RunningLab, config: Pick<LabConfig, 'stateDir'>, runId: string, out: string): Promise<number> {
  const answer = await trainingClient(lab, config).get<{ markdown: string; figures: ImpactFigures }>(`/api/runs/${encodeURIComponent(runId)}/pir/draft`);
  writeFileSync(out, answer.markdown);
  for (const note of answer.figures.notes) progress(`lab: ${note}`);
  result(`${out}: drafted from ${runId}; fill in the TODO(team) lines, then \`lab pir check ${out}\``);
  return exitCodes.ok;
}

function readReview(file: string): string {
  let markdown: string;
  try {
    markdown = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LabRefusal(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (draft one with \`lab pir new\`)`);
  }
  if (Buffer.byteLength(markdown) > maxPirBytes) throw new LabRefusal(`${file} is larger than ${maxPirBytes / 1024} kB`);
  return markdown;
}

const findingLine = (file: string, finding: PirFinding) => `${file}:${finding.line === null ? '' : `${finding.line}:`} ${finding.message}`;

function check(file: string): number {
  const findings = checkPir(readReview(file));
  for (const finding of findings) result(findingLine(file, finding));
  if (findings.length === 0) progress(`${file}: nothing to report`);
  return findings.length > 0 ? exitCodes.failed : exitCodes.ok;
}

async function submit(lab: RunningLab, config: Pick<LabConfig, 'stateDir'>, runId: string, file: string, markdown: string, json: boolean): Promise<number> {
  const stored = await trainingClient(lab, config).post<{ id: string; score: number; findings: PirFinding[] }>(`/api/runs/${encodeURIComponent(runId)}/pir`, {
    markdown,
  });
  if (json) {
    result(JSON.stringify(stored, null, 2));
    return exitCodes.ok;
  }
  result(`${file}: submitted for ${runId} as ${stored.id}, score ${stored.score}/100`);
  for (const finding of stored.findings) result(findingLine(file, finding));
  return exitCodes.ok;
}
