import type { PrometheusClient } from '@firedrill/kit';
import { labPrometheus } from '../prometheus/lab-prometheus.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  defaultRunbooksDir,
  dryRunRunbook,
  evaluateProbe,
  listRunbookFiles,
  loadRunbook,
  opsApiLever,
  opsApiStepRecorder,
  planRunbook,
  RunbookError,
  runbookFile,
  runRunbook,
  runShellCommand,
  type LoadedRunbook,
  type RunbookExecutors,
  type RunbookPlan,
  type StepRecorder,
} from '@firedrill/training';
import { exitCodes, LabRefusal, UsageError, type Command } from '../cli/command.ts';
import { progress, result } from '../cli/output.ts';
import { runningLab, type RunningLab } from '../cli/running-lab.ts';
import { trainingClient } from '../cli/training-client.ts';
import type { LabConfig } from '../config/lab-config.ts';

const usage = `lab runbook <action> …

  list                      the executable runbooks in docs/runbooks: name, kind, title, parameters
  check <file|name>         validate a runbook file; problems as file:line: field: message
  run <file|name> [--param name=value]… [--dry-run]
                            run it step by step against the running lab, each step on the timeline;
                            a failed step rolls back the steps before it, newest first
                            --dry-run: print the plan and check prerequisites, change nothing

  <name> is a runbook of docs/runbooks (latency-rollback); a path runs your own (./my.runbook.yaml)
  --json                    list/check/run: machine-readable output`;

const actionOptions: Record<string, readonly string[]> = { list: ['json'], check: ['json'], run: ['param', 'dry-run', 'json'] };

/** `lab runbook …`: executable runbooks, run with the operator's means through the ops API. */
export const runbookCommand: Command = {
  name: 'runbook',
  summary: 'list, check and run executable runbooks (`lab runbook run latency-rollback --param service=payments`)',
  usage,
  options: { param: { type: 'string', multiple: true }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: { min: 1, max: 2 },
  async run({ values, positionals, config }) {
    const [action = '', target] = positionals;
    const allowed = actionOptions[action];
    if (!allowed) throw new UsageError(`unknown runbook action "${action}"\n\n${usage}`);
    const refused = Object.keys(values).filter((name) => values[name] !== undefined && !allowed.includes(name));
    if (refused.length > 0) throw new UsageError(`lab runbook ${action} takes no --${refused.join(', --')}`);
    const json = values.json === true;
    if (action === 'list') return list(json);
    if (target === undefined) throw new UsageError(`name the runbook: lab runbook ${action} <file|name>`);
    if (action === 'check') return check(target, json);
    // parseArgs gives a `multiple` option as a list; CommandInput types values for the common case.
    const params = parseParams((values.param as unknown as string[] | undefined) ?? []);
    return run(target, params, values['dry-run'] === true, json, config);
  },
};

function list(json: boolean): number {
  const runbooks = listRunbookFiles().map((file) => loadRunbook(file).runbook);
  if (json) {
    result(
      JSON.stringify(
        runbooks.map(({ name, kind, title, parameters }) => ({ name, kind, title, parameters: Object.keys(parameters) })),
        null,
        2,
      ),
    );
    return exitCodes.ok;
  }
  const width = Math.max(...runbooks.map((runbook) => runbook.name.length));
  for (const runbook of runbooks) {
    const parameters = Object.keys(runbook.parameters).map((name) => `--param ${name}=…`);
    result(`${runbook.name.padEnd(width)}  ${runbook.kind.padEnd(11)}  ${runbook.title}${parameters.length ? `  (${parameters.join(' ')})` : ''}`);
  }
  return exitCodes.ok;
}

/** Loads a runbook by name or path; a RunbookError is printed as its problems, one per line. */
function load(target: string): LoadedRunbook {
  const file = runbookFile(target);
  if (!existsSync(file) && !target.includes('/') && !target.endsWith('.yaml'))
    throw new LabRefusal(`no runbook "${target}" in ${path.relative(process.cwd(), defaultRunbooksDir) || '.'} (\`lab runbook list\`)`);
  return loadRunbook(file);
}

function check(target: string, json: boolean): number {
  try {
    const { runbook, file } = load(target);
    if (json) result(JSON.stringify({ ok: true, file, name: runbook.name, kind: runbook.kind, steps: runbook.steps.length }, null, 2));
    else
      result(
        `ok: ${path.relative(process.cwd(), file)}: ${runbook.name} (${runbook.kind}, ${runbook.steps.length} step${runbook.steps.length === 1 ? '' : 's'})`,
      );
    return exitCodes.ok;
  } catch (error) {
    if (!(error instanceof RunbookError)) throw error;
    if (json) result(JSON.stringify({ ok: false, problems: error.problems }, null, 2));
    else progress(error.message);
    return exitCodes.failed;
  }
}

function parseParams(given: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of given) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`--param ${pair}: write it name=value`);
    params[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return params;
}

async function run(target: string, params: Record<string, string>, dryRun: boolean, json: boolean, config: LabConfig): Promise<number> {
  let loaded: LoadedRunbook;
  try {
    loaded = load(target);
  } catch (error) {
    if (error instanceof RunbookError) throw new LabRefusal(`the runbook is invalid:\n${error.message}`);
    throw error;
  }
  const planned = planRunbook(loaded.runbook, params);
  if (!planned.ok) throw new UsageError(`${loaded.runbook.name}: ${planned.errors.join('; ')}`);
  const lab = runningLab(config);
  if (!lab) return exitCodes.notRunning;
  const executors = labExecutors(lab, config);
  if (dryRun) return printDryRun(planned.plan, executors, json);

  const recorder = opsApiStepRecorder(trainingClient(lab, config));
  const printing: StepRecorder = {
    async record(step) {
      if (!json) {
        progress(`${step.status.padEnd(11)} ${step.step}`);
        if (step.output && step.status !== 'started' && step.status !== 'skipped') progress(indent(step.output));
      }
      await recorder.record(step);
    },
  };
  if (!json) progress(`${planned.plan.runbook} (${planned.plan.kind}): ${planned.plan.title}`);
  const outcome = await runRunbook(planned.plan, { executors, recorder: printing });
  if (json) result(JSON.stringify(outcome, null, 2));
  else {
    for (const problem of outcome.problems) progress(`lab: ${problem}`);
    result(
      outcome.ok ? `${outcome.runbook}: every step passed` : `${outcome.runbook}: step "${outcome.failedStep}" failed; the steps before it were rolled back`,
    );
  }
  return outcome.ok ? exitCodes.ok : exitCodes.failed;
}

async function printDryRun(plan: RunbookPlan, executors: RunbookExecutors, json: boolean): Promise<number> {
  const dry = await dryRunRunbook(plan, executors);
  if (json) {
    result(JSON.stringify({ runbook: plan.runbook, parameters: plan.parameters, ...dry }, null, 2));
    return dry.ok ? exitCodes.ok : exitCodes.failed;
  }
  const lines = [`${plan.runbook} (${plan.kind}): ${plan.title}`];
  if (Object.keys(plan.parameters).length > 0)
    lines.push(
      `parameters: ${Object.entries(plan.parameters)
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')}`,
    );
  dry.steps.forEach((step, i) => {
    lines.push(`${i + 1}. ${step.name}${step.after.length ? `  (after: ${step.after.join(', ')})` : ''}`, `     ${step.action}`);
    for (const prerequisite of step.prerequisites)
      lines.push(
        `     prerequisite ${prerequisite.ok ? 'met' : 'NOT met'}: ${prerequisite.check}${prerequisite.ok ? '' : `\n${indent(prerequisite.output, 7)}`}`,
      );
    if (step.verify) lines.push(`     verify: ${step.verify}`);
    if (step.rollback) lines.push(`     rollback: ${step.rollback}`);
  });
  lines.push(`dry run: nothing was changed; ${dry.ok ? 'every prerequisite is met now' : 'some prerequisites are not met now'}`);
  result(lines.join('\n'));
  return dry.ok ? exitCodes.ok : exitCodes.failed;
}

/** The running lab's means, as the operator: shell commands here, levers through the ops API, probes against its Prometheus and services. */
function labExecutors(lab: RunningLab, config: LabConfig): RunbookExecutors {
  const local = (port: number) => `http://127.0.0.1:${port}`;
  const prometheus = labPrometheus(config, lab.ports.prometheus);
  const env = {
    // The runbooks' curl commands read the golden-signal recordings (no team label yet), so they
    // ask the lab's Prometheus as the lab does: curl takes the credentials from the URL. Only in
    // the commands' environment, never printed (curl -fsS names the status, not the URL).
    FIREDRILL_PROMETHEUS_URL: withUserinfo(prometheus),
    FIREDRILL_API_URL: local(lab.ports.api),
    FIREDRILL_PAYMENTS_URL: local(lab.ports.payments),
  };
  return {
    runCommand: (command, { signal }) => runShellCommand(command, { signal, env }),
    applyLever: opsApiLever(trainingClient(lab, config)),
    async checkProbe(probe, { timeoutMs }) {
      const outcome = await evaluateProbe(probe, {
        prometheus,
        serviceUrls: { api: env.FIREDRILL_API_URL, payments: env.FIREDRILL_PAYMENTS_URL },
        databases: {},
        timeoutMs,
      });
      return { ok: outcome.ok, output: outcome.detail };
    },
  };
}

const indent = (text: string, spaces = 12) =>
  text
    .split('\n')
    .map((line) => `${' '.repeat(spaces)}${line}`)
    .join('\n');

/** `http://user:password@host:port` for curl; the plain URL when Prometheus asks for no credentials. */
function withUserinfo(prometheus: PrometheusClient): string {
  if (!prometheus.credentials) return prometheus.url;
  const url = new URL(prometheus.url);
  url.username = encodeURIComponent(prometheus.credentials.username);
  url.password = encodeURIComponent(prometheus.credentials.password);
  return url.toString().replace(/\/+$/, '');
}
