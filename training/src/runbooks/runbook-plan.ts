import { formatLever, parseLever } from '../levers/lever.ts';
import type { Probe } from '../scenario/scenario-schema.ts';
import { resolveParameters, shellQuote, substitute, type ParameterValues } from './runbook-parameters.ts';
import type { Runbook, RunbookCheck, RunbookKind, RunbookProbe, RunbookStep } from './runbook-schema.ts';

/**
 * A runbook with its parameters filled in: every command, lever and probe as it will run. The
 * runner acts only on a plan, so a bad parameter or a lever that does not parse is refused before
 * anything has been done.
 */

export type CheckAction = { kind: 'command'; command: string } | { kind: 'probe'; probe: Probe };
export type StepAction = CheckAction | { kind: 'lever'; lever: string };
export type UndoAction = { kind: 'command'; command: string } | { kind: 'lever'; lever: string };

export interface Attempts {
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
}

export interface PlannedCheck extends Attempts {
  action: CheckAction;
}

export interface PlannedStep extends Attempts {
  name: string;
  description: string | undefined;
  action: StepAction;
  /** Earlier steps this one needs (they have passed by the time it runs: steps run in order and stop at a failure). */
  after: string[];
  prerequisites: PlannedCheck[];
  verify: PlannedCheck | undefined;
  rollback: { action: UndoAction; timeoutMs: number } | undefined;
}

export interface RunbookPlan {
  runbook: string;
  title: string;
  kind: RunbookKind;
  parameters: ParameterValues;
  steps: PlannedStep[];
}

/** Default time for one attempt: a lever may wait for a restart and its health check. */
export const defaultTimeoutMs: Record<StepAction['kind'], number> = { command: 60_000, lever: 90_000, probe: 10_000 };

export function planRunbook(runbook: Runbook, given: Readonly<Record<string, string>> = {}): { ok: true; plan: RunbookPlan } | { ok: false; errors: string[] } {
  const resolved = resolveParameters(runbook.parameters, given);
  if (!resolved.ok) return resolved;
  const values = resolved.values;
  const errors: string[] = [];
  const fill = (template: string) => substitute(template, (name) => values[name]) ?? template;
  const fillShell = (template: string) => substitute(template, (name) => values[name], shellQuote) ?? template;
  const lever = (stepName: string, template: string): string => {
    const parsed = parseLever(fill(template));
    if (parsed.ok) return formatLever(parsed.lever);
    errors.push(`step "${stepName}": "${fill(template)}" is not a lever: ${parsed.error}`);
    return fill(template);
  };
  const probe = (name: string, written: RunbookProbe): Probe =>
    written.promql !== undefined
      ? { name, toleranceMs: 0, kind: 'promql', promql: fill(written.promql) }
      : { name, toleranceMs: 0, kind: 'http', service: written.http!.service, path: fill(written.http!.path), status: written.http!.status };
  const check = (name: string, written: RunbookCheck): PlannedCheck => {
    const action: CheckAction =
      written.command !== undefined ? { kind: 'command', command: fillShell(written.command) } : { kind: 'probe', probe: probe(name, written.probe!) };
    return { action, timeoutMs: written.timeout ?? defaultTimeoutMs[action.kind], retries: written.retries, retryDelayMs: written.retryDelay };
  };

  const steps = runbook.steps.map((step: RunbookStep): PlannedStep => {
    const action: StepAction =
      step.command !== undefined
        ? { kind: 'command', command: fillShell(step.command) }
        : step.lever !== undefined
          ? { kind: 'lever', lever: lever(step.name, step.lever) }
          : { kind: 'probe', probe: probe(step.name, step.probe!) };
    const undo = step.rollback;
    return {
      name: step.name,
      description: step.description,
      action,
      timeoutMs: step.timeout ?? defaultTimeoutMs[action.kind],
      retries: step.retries,
      retryDelayMs: step.retryDelay,
      after: step.requires.filter((required) => typeof required === 'string'),
      prerequisites: step.requires.filter((required) => typeof required !== 'string').map((required) => check(`${step.name}: prerequisite`, required)),
      verify: step.verify ? check(`${step.name}: verify`, step.verify) : undefined,
      rollback: undo
        ? undo.lever !== undefined
          ? { action: { kind: 'lever', lever: lever(step.name, undo.lever) }, timeoutMs: undo.timeout ?? defaultTimeoutMs.lever }
          : { action: { kind: 'command', command: fillShell(undo.command!) }, timeoutMs: undo.timeout ?? defaultTimeoutMs.command }
        : undefined,
    };
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, plan: { runbook: runbook.name, title: runbook.title, kind: runbook.kind, parameters: values, steps } };
}

/** One line for an action, as the plan and the timeline show it. */
export function describeAction(action: StepAction): string {
  if (action.kind === 'command') return `$ ${action.command}`;
  if (action.kind === 'lever') return `lever: ${action.lever}`;
  const { probe } = action;
  return probe.kind === 'promql'
    ? `probe: ${probe.promql}`
    : probe.kind === 'http'
      ? `probe: GET ${probe.service} ${probe.path} → ${probe.status}`
      : `probe: ${probe.sql}`;
}
