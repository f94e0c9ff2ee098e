import type { PrometheusClient } from '@firedrill/kit';
import { labPrometheusCredentials } from '../prometheus/lab-prometheus.ts';
import { existsSync } from 'node:fs';
import os from 'node:os';
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
  type OpsApiPost,
  type RunbookExecutors,
  type RunbookPlan,
  type StepRecorder,
} from '@firedrill/training';
import { hasPersonalToken } from '../cli/caller-token.ts';
import { classShopTeam } from '../cli/class-shop.ts';
import { exitCodes, LabRefusal, UsageError, type Command } from '../cli/command.ts';
import { progress, result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { trainingClient } from '../cli/training-client.ts';
import type { LabConfig } from '../config/lab-config.ts';
import { runbookShop, traineePrometheusAccess, type RunbookShop } from '../runs/runbook-shop.ts';

const usage = `lab runbook <action> …

  list                      the executable runbooks in docs/runbooks: name, kind, title, parameters
  check <file|name>         validate a runbook file; problems as file:line: field: message
  run <file|name> [--param name=value]… [--dry-run] [--team T]
                            run it step by step against the running lab, each step on the timeline;
                            a failed step rolls back the steps before it, newest first
                            --dry-run: print the plan and check prerequisites, change nothing
                            --team T: in a class, the team whose shop it acts on (required; a
                            trainee's is its own): its api, payments, levers, series and timeline

  <name> is a runbook of docs/runbooks (latency-rollback); a path runs your own (./my.runbook.yaml)
  --json                    list/check/run: machine-readable output`;

const actionOptions: Record<string, readonly string[]> = { list: ['json'], check: ['json'], run: ['param', 'dry-run', 'team', 'json'] };

/** `lab runbook …`: executable runbooks, run with the operator's means through the ops API. */
export const runbookCommand: Command = {
  name: 'runbook',
  summary: 'list, check and run executable runbooks (`lab runbook run latency-rollback --param service=payments`)',
  usage,
  options: { param: { type: 'string', multiple: true }, 'dry-run': { type: 'boolean' }, team: { type: 'string' }, json: { type: 'boolean' } },
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
    const team = typeof values.team === 'string' ? values.team : undefined;
    return run(target, params, { dryRun: values['dry-run'] === true, json, team }, config);
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

async function run(
  target: string,
  params: Record<string, string>,
  { dryRun, json, team: requested }: { dryRun: boolean; json: boolean; team: string | undefined },
  config: LabConfig,
): Promise<number> {
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
  // In a class the runbook acts on one team's shop: the one named (a trainee's own; classShopTeam).
  const team = await classShopTeam(lab, config, requested);
  const home = os.homedir();
  const access = (hasPersonalToken({ env: process.env, home }) && traineePrometheusAccess(home)) || {
    kind: 'lab' as const,
    credentials: labPrometheusCredentials(config),
  };
  const shop = runbookShop(lab, config.stateDir, team, access);
  const training = trainingClient(lab, config);
  const executors = labExecutors(shop, training);
  if (dryRun) return printDryRun(planned.plan, executors, json, shop.team);

  const recorder = opsApiStepRecorder(training, shop.team);
  const printing: StepRecorder = {
    async record(step) {
      if (!json) {
        progress(`${step.status.padEnd(11)} ${step.step}`);
        if (step.output && step.status !== 'started' && step.status !== 'skipped') progress(indent(step.output));
      }
      await recorder.record(step);
    },
  };
  if (!json) progress(`${planned.plan.runbook} (${planned.plan.kind}): ${planned.plan.title}${onTeam(shop.team)}`);
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

async function printDryRun(plan: RunbookPlan, executors: RunbookExecutors, json: boolean, team: string | undefined): Promise<number> {
  const dry = await dryRunRunbook(plan, executors);
  if (json) {
    result(JSON.stringify({ runbook: plan.runbook, ...(team !== undefined && { team }), parameters: plan.parameters, ...dry }, null, 2));
    return dry.ok ? exitCodes.ok : exitCodes.failed;
  }
  const lines = [`${plan.runbook} (${plan.kind}): ${plan.title}${onTeam(team)}`];
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

/** The heading's note of whose shop a class's runbook acts on. */
const onTeam = (team: string | undefined) => (team === undefined ? '' : ` (team ${team}'s shop)`);

/**
 * The running lab's means against one shop (runbook-shop.ts): shell commands here, with that
 * shop's addresses in their environment; levers through the ops API, naming the shop's team; probes
 * against its api, payments and team-scoped Prometheus.
 */
export function labExecutors(shop: RunbookShop, training: OpsApiPost): RunbookExecutors {
  const env = {
    // The runbooks' curl commands ask Prometheus as the probes do: curl takes the credentials from
    // the URL. Only in the commands' environment, never printed (curl -fsS names the status, not the URL).
    FIREDRILL_PROMETHEUS_URL: withUserinfo(shop.prometheus),
    FIREDRILL_API_URL: shop.apiUrl,
    FIREDRILL_PAYMENTS_URL: shop.paymentsUrl,
    // In a class, whose shop: a command that runs the lab CLI passes it on (`${FIREDRILL_TEAM:+--team "$FIREDRILL_TEAM"}`).
    ...(shop.team !== undefined && { FIREDRILL_TEAM: shop.team }),
  };
  return {
    runCommand: (command, { signal }) => runShellCommand(command, { signal, env }),
    applyLever: opsApiLever(training, shop.team),
    async checkProbe(probe, { timeoutMs }) {
      const outcome = await evaluateProbe(probe, {
        prometheus: shop.prometheus,
        serviceUrls: { api: shop.apiUrl, payments: shop.paymentsUrl },
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
