import { z } from 'zod';
import { parseLever } from '../levers/lever.ts';
import { duration, shopChecks } from '../scenario/scenario-schema.ts';
import { placeholdersIn, sampleValue, substitute } from './runbook-parameters.ts';

/**
 * An executable runbook (docs/runbooks/<name>.runbook.yaml): steps run in order, each one a shell
 * command, a lever (written as scenario files write it, parsed by levers/lever.ts) or a probe
 * (PromQL or HTTP, as scenario probes). One schema, from which docs/runbooks/runbook.schema.json
 * is written for editors. Levers with `{{parameter}}` placeholders are checked once a sample
 * value is known (the parameter's default or first allowed value), and again when a run fills
 * them in.
 */

/** The curriculum's hierarchy of runbooks. */
export const runbookKinds = ['diagnostic', 'remediation', 'preventive', 'emergency'] as const;
export type RunbookKind = (typeof runbookKinds)[number];

export const runbookNamePattern = /^[a-z0-9][a-z0-9-]{1,62}$/;
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** A check against the shop: exactly one of promql, http. SQL is the lab's own: a trainee has no database access. */
const probeSchema = z
  .strictObject({
    ...shopChecks,
  })
  .superRefine((probe, ctx) => {
    if ((probe.promql === undefined) === (probe.http === undefined)) ctx.addIssue({ code: 'custom', message: 'a probe needs exactly one of promql, http' });
  });

const command = text(2000).describe(
  'A shell command (sh -c) run by whoever runs the runbook; passes when it exits 0. Its environment has FIREDRILL_PROMETHEUS_URL, FIREDRILL_API_URL, FIREDRILL_PAYMENTS_URL (its shop), and in a class FIREDRILL_TEAM (whose shop)',
);
const lever = text(300).describe(
  'A lever as scenario files write it: "rollback payments", "restart worker", "flag api.degraded-mode true", "failover payments"',
);
const timeout = duration.optional().describe('How long one attempt may take (default: 60s for a command, 90s for a lever, 10s for a probe)');
const retries = z.number().int().min(0).max(100).default(0).describe('Attempts after the first, when one fails');
const retryDelay = duration.default(5_000).describe('Wait between attempts (default 5s)');

/** A command or probe that must pass: a step's `verify`, or a prerequisite in `requires`. */
const checkSchema = z.strictObject({ command: command.optional(), probe: probeSchema.optional(), timeout, retries, retryDelay }).superRefine((check, ctx) => {
  if ((check.command === undefined) === (check.probe === undefined)) ctx.addIssue({ code: 'custom', message: 'a check needs exactly one of command, probe' });
});

const stepName = text(80);

const stepSchema = z
  .strictObject({
    name: stepName.describe('Unique in the runbook; `requires` and the timeline name the step by it'),
    description: text(1000).optional(),
    command: command.optional(),
    lever: lever.optional(),
    probe: probeSchema.optional(),
    timeout,
    retries,
    retryDelay,
    requires: z
      .array(z.union([stepName, checkSchema]))
      .default([])
      .describe('Prerequisites: names of earlier steps, or checks that must pass before the step acts'),
    verify: checkSchema.optional().describe('A check that must pass after the step, or the step fails'),
    rollback: z
      .strictObject({ lever: lever.optional(), command: command.optional(), timeout })
      .superRefine((rollback, ctx) => {
        if ((rollback.lever === undefined) === (rollback.command === undefined))
          ctx.addIssue({ code: 'custom', message: 'a rollback needs exactly one of lever, command' });
      })
      .optional()
      .describe('How to undo the step when a later one fails'),
  })
  .superRefine((step, ctx) => {
    const actions = [step.command, step.lever, step.probe].filter((action) => action !== undefined).length;
    if (actions !== 1) ctx.addIssue({ code: 'custom', message: 'a step needs exactly one of command, lever, probe' });
  });

const parameterNamePattern = /^[a-z][a-z0-9_]{0,39}$/;

export const parameterSchema = z
  .strictObject({
    description: text(300),
    values: z
      .array(z.string().regex(/^[\w.:@/*+-]{1,200}$/, 'must be letters, digits or ._:@/*+- (no spaces or quotes)'))
      .min(1)
      .optional()
      .describe('The values allowed'),
    pattern: text(200)
      .refine((source) => {
        try {
          new RegExp(source);
          return true;
        } catch {
          return false;
        }
      }, 'must be a valid regular expression')
      .optional()
      .describe('A regular expression the whole value must match (when there is no `values` list)'),
    default: z.string().optional().describe('The value when the run gives none; without it the parameter is required'),
  })
  .superRefine((parameter, ctx) => {
    if (parameter.values && parameter.pattern) ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'give values or pattern, not both' });
    if (parameter.default !== undefined && parameter.values && !parameter.values.includes(parameter.default))
      ctx.addIssue({ code: 'custom', path: ['default'], message: `must be one of values (${parameter.values.join(', ')})` });
  });
export type RunbookParameter = z.output<typeof parameterSchema>;

export const runbookSchema = z
  .strictObject({
    name: z.string().regex(runbookNamePattern, 'must be lower-case letters, digits and dashes').describe('Must equal the file name without .runbook.yaml'),
    title: text(120),
    kind: z.enum(runbookKinds).describe('diagnostic (looks), remediation (fixes), preventive (before trouble), emergency (limits the damage now)'),
    description: text(2000).optional(),
    parameters: z
      .record(z.string().regex(parameterNamePattern, 'must be a lower-case name such as "service"'), parameterSchema)
      .default({})
      .describe('Values given with `--param name=value`, written {{name}} in commands, levers, probes and checks'),
    steps: z.array(stepSchema).min(1).max(50),
  })
  .superRefine((runbook, ctx) => {
    const seen = new Set<string>();
    runbook.steps.forEach((step, index) => {
      if (seen.has(step.name)) ctx.addIssue({ code: 'custom', path: ['steps', index, 'name'], message: `another step is named "${step.name}"` });
      step.requires.forEach((required, r) => {
        if (typeof required === 'string' && !seen.has(required))
          ctx.addIssue({ code: 'custom', path: ['steps', index, 'requires', r], message: `no earlier step is named "${required}"` });
      });
      seen.add(step.name);
      for (const [at, template] of templatesOf(step)) {
        for (const name of placeholdersIn(template)) {
          if (!(name in runbook.parameters))
            ctx.addIssue({ code: 'custom', path: ['steps', index, ...at], message: `{{${name}}}: no such parameter (declare it under parameters)` });
        }
      }
      for (const [at, template] of leversOf(step)) {
        const sample = substitute(template, (name) => {
          const parameter = runbook.parameters[name];
          return parameter ? sampleValue(parameter) : undefined;
        });
        if (sample === undefined) continue; // a parameter without a sample: checked when the run gives it
        const parsed = parseLever(sample);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['steps', index, ...at], message: `"${sample}" is not a lever: ${parsed.error}` });
      }
    });
  });

export type Runbook = z.output<typeof runbookSchema>;
export type RunbookStep = Runbook['steps'][number];
export type RunbookCheck = z.output<typeof checkSchema>;
export type RunbookProbe = z.output<typeof probeSchema>;

/** Every text of a step that may hold {{placeholders}}, with its path inside the step. */
export function templatesOf(step: RunbookStep): Array<[PropertyKey[], string]> {
  const found: Array<[PropertyKey[], string]> = [];
  const ofProbe = (at: PropertyKey[], probe: RunbookProbe | undefined) => {
    if (probe?.promql !== undefined) found.push([[...at, 'promql'], probe.promql]);
    if (probe?.http !== undefined) found.push([[...at, 'http', 'path'], probe.http.path]);
  };
  const ofCheck = (at: PropertyKey[], check: RunbookCheck) => {
    if (check.command !== undefined) found.push([[...at, 'command'], check.command]);
    ofProbe([...at, 'probe'], check.probe);
  };
  if (step.command !== undefined) found.push([['command'], step.command]);
  ofProbe(['probe'], step.probe);
  step.requires.forEach((required, r) => {
    if (typeof required !== 'string') ofCheck(['requires', r], required);
  });
  if (step.verify) ofCheck(['verify'], step.verify);
  if (step.rollback?.command !== undefined) found.push([['rollback', 'command'], step.rollback.command]);
  return [...found, ...leversOf(step)];
}

function leversOf(step: RunbookStep): Array<[PropertyKey[], string]> {
  const found: Array<[PropertyKey[], string]> = [];
  if (step.lever !== undefined) found.push([['lever'], step.lever]);
  if (step.rollback?.lever !== undefined) found.push([['rollback', 'lever'], step.rollback.lever]);
  return found;
}
