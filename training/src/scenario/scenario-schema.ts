import { z } from 'zod';
import { faultSpec, parseDuration } from '@firedrill/chaos';
import { gradingBlock } from '../grading/grading-weights.ts';
import { type Lever, parseLever } from '../levers/lever.ts';
import { flagDefinitions, flagNames, flagValueError, isFlagName, services } from './shop-vocabulary.ts';

/**
 * The scenario file (scenarios/<id>/scenario.yaml), as TRAINING.md sketches it: one schema, from
 * which scenarios/scenario.schema.json is written for editors. Durations are written "90s", "3m",
 * "1h30m" and parsed to milliseconds; lever strings are parsed to levers. What needs files outside
 * the scenario (alert names, the on-call pool's scenarios) is checked by load-scenario.ts.
 */

/** "90s", "3m", "1h30m", "0s" → ms. Units are required: a bare number could mean seconds or ms. */
export const duration = z
  .string()
  .regex(/^(\d+(\.\d+)?(ms|s|m|h))+$/, 'must be a duration such as "90s", "3m" or "1h30m"')
  .transform((text) => parseDuration(text) ?? 0)
  .describe('A duration such as "90s", "3m" or "1h30m"');

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** A lever string such as "rollback payments"; see levers/lever.ts for every form. */
export const leverString = z
  .string()
  .transform((value, ctx): Lever => {
    const parsed = parseLever(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a lever: ${parsed.error}` });
      return z.NEVER;
    }
    return parsed.lever;
  })
  .describe('A lever, e.g. "rollback payments", "flag payments.fraud-check false", "scale worker 3", "failover payments", "end-db-sessions"');

const faultFor = { for: duration.optional().describe('How long the fault lasts (scaled by --speed); without it, until a lever ends it or the run ends') };

/**
 * A fault exactly as the chaos catalogue validates it (family + settings), plus `for`, without
 * `team`: a scenario is run for a team, and its faults act on that run's shop (in a class the run's
 * team, team-chaos.ts; in a single lab none), never on a team the file names.
 */
const noTeam = {
  team: z
    .custom<undefined>(() => false, "a scenario's faults act on its run's shop (in a class the run's team's): a fault names no team")
    .meta({ description: "None: a scenario's faults act on its run's team's shop", not: {} })
    .optional(),
};
const cataloguedFaults = faultSpec.options.map((option) => option.extend({ ...faultFor, ...noTeam }));
export const scenarioFault = z.discriminatedUnion('family', cataloguedFaults as [(typeof cataloguedFaults)[number], ...(typeof cataloguedFaults)[number][]]);
export type ScenarioFault = z.output<typeof scenarioFault>;
export const faultFamilies: readonly string[] = faultSpec.options.map((option) => option.shape.family.value);

const flagChanges = z
  .record(z.string(), z.union([z.boolean(), z.number()]))
  .superRefine((flags, ctx) => {
    for (const [name, value] of Object.entries(flags)) {
      if (!isFlagName(name)) ctx.addIssue({ code: 'custom', path: [name], message: `unknown flag; known flags: ${flagNames.join(', ')}` });
      else {
        const error = flagValueError(name, value);
        if (error) ctx.addIssue({ code: 'custom', path: [name], message: error });
      }
    }
  })
  .describe(
    `Flag changes made at this step: ${Object.entries(flagDefinitions)
      .map(([name, { type }]) => `${name} (${type})`)
      .join(', ')}`,
  );

const timelineStep = z
  .strictObject({
    at: duration.describe('When, from the start of the live phase'),
    window: z
      .strictObject({ from: duration, to: duration })
      .optional()
      .describe('Blind mode: the step happens at a random time in this window (picked by the run seed) instead of at `at`'),
    deploy: z
      .strictObject({
        service: z.enum(services),
        version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a version such as "2.4.0"'),
        notes: text(300).optional().describe('Release notes, as trainees see them in the deploy history'),
      })
      .optional()
      .describe("A release: the service restarts on this version; this step's fault is bound to it, so rolling back ends it"),
    fault: scenarioFault.optional(),
    flags: flagChanges.optional(),
    endsWith: z.array(leverString).default([]).describe("Levers that end this step's cause"),
    eases: z.array(leverString).default([]).describe('Levers that reduce the impact without ending the cause'),
  })
  .superRefine((step, ctx) => {
    if (!step.deploy && !step.fault && !step.flags) ctx.addIssue({ code: 'custom', message: 'a step needs at least one of deploy, fault, flags' });
    if (step.window && step.window.from > step.window.to) ctx.addIssue({ code: 'custom', path: ['window', 'to'], message: 'must not be before window.from' });
    if (step.fault && step.endsWith.length === 0 && step.fault.for === undefined)
      ctx.addIssue({ code: 'custom', path: ['endsWith'], message: 'a fault needs a lever that ends it (endsWith) or a duration (fault.for)' });
  });

/**
 * The checks against the shop that scenario probes and runbook steps share (each optional: the
 * schema that uses them says how many it wants). SQL is the scenario's alone: trainees' runbooks
 * have no database access.
 */
export const shopChecks = {
  promql: text(2000)
    .refine(hasComparison, 'must compare, e.g. "… < 0.3": the probe passes when the result is not empty')
    .optional()
    .describe('A PromQL comparison; passes when it returns a non-empty vector'),
  http: z
    .strictObject({
      service: z.enum(['api', 'payments']).default('api'),
      path: z.string().regex(/^\/\S*$/, 'must be a URL path such as "/api/health/ready"'),
      status: z.number().int().min(100).max(599).default(200),
    })
    .optional()
    .describe('GET this path on the service; passes when it answers `status`'),
};

/** A probe: one check and what it must show. Exactly one of promql, http, sql. */
const probe = z
  .strictObject({
    name: text(120),
    ...shopChecks,
    sql: text(2000).optional().describe('A query returning one boolean (first row, first column); passes when true'),
    database: z.enum(['shop', 'lab']).default('shop').describe('Where `sql` runs'),
    tolerance: duration.default(0).describe('How long the check may fail in a row without the probe counting as failing (a blip under real load)'),
  })
  .superRefine((value, ctx) => {
    const kinds = [value.promql, value.http, value.sql].filter((kind) => kind !== undefined).length;
    if (kinds !== 1) ctx.addIssue({ code: 'custom', message: 'a probe needs exactly one of promql, http, sql' });
  })
  .transform((value): Probe => {
    const common = { name: value.name, toleranceMs: value.tolerance };
    if (value.promql !== undefined) return { ...common, kind: 'promql', promql: value.promql };
    if (value.http !== undefined) return { ...common, kind: 'http', ...value.http };
    return { ...common, kind: 'sql', sql: value.sql!, database: value.database };
  });

export type Probe = { name: string; toleranceMs: number } & (
  | { kind: 'promql'; promql: string }
  | { kind: 'http'; service: 'api' | 'payments'; path: string; status: number }
  | { kind: 'sql'; sql: string; database: 'shop' | 'lab' }
);

/** True when the expression has a comparison operator outside label matchers and strings. */
export function hasComparison(expression: string): boolean {
  const outside = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""').replace(/\{[^}]*\}/g, '{}');
  return /(==|!=|<=|>=|<|>)/.test(outside);
}

const scenarioId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be lower-case letters, digits and dashes');

const header = {
  id: scenarioId.describe('Must equal the folder name'),
  title: text(120),
  curriculum: text(120).describe('Where it sits in the course, e.g. "Day 4, Lab 1"'),
  difficulty: z.number().int().min(1).max(5),
  timebox: duration.describe('The run times out after this long live (scaled by --speed)'),
};

const parTimes = z.strictObject({ detect: duration, acknowledge: duration, mitigate: duration, resolve: duration }).superRefine((par, ctx) => {
  const order = ['detect', 'acknowledge', 'mitigate', 'resolve'] as const;
  for (let i = 1; i < order.length; i++) {
    if (par[order[i]!] < par[order[i - 1]!]) ctx.addIssue({ code: 'custom', path: [order[i]!], message: `must not be less than par.${order[i - 1]}` });
  }
});

/** A lab: load, steady state, timeline, what trainees should find and what ends it. */
export const labScenarioSchema = z
  .strictObject({
    ...header,
    load: z
      .strictObject({
        script: z.string().regex(/^[a-z0-9-]+$/, 'must name a script in scenarios/load/ without ".ts"'),
        profile: z.enum(['smoke', 'steady', 'ramp', 'spike', 'soak']),
        rate: z.number().positive().max(500).describe('Iterations per second at the profile’s plateau'),
      })
      .describe('k6 traffic for the run: a script in scenarios/load/ and a stage preset'),
    steadyState: z.array(probe).min(1).describe('The gate before the first step, and what "mitigated" means'),
    timeline: z.array(timelineStep).min(1),
    expectedAlerts: z.array(z.string()).min(1).describe('Alerts (names in prometheus/rules/*.yml) the fault should fire'),
    stability: duration.describe('The steady-state probes must hold this long to count as mitigated'),
    answer: z.strictObject({
      severity: z.enum(['P0', 'P1', 'P2', 'P3']),
      category: z.enum(['bad-release', 'config-change', 'dependency-outage', 'capacity', 'bad-data', 'software-defect']),
      rootCause: text(500),
    }),
    hints: z
      .array(z.strictObject({ after: duration.optional(), cost: z.number().int().min(0).max(100), text: text(1000) }))
      .min(1)
      .describe('In order; the last one is the solution'),
    par: parTimes,
    grading: gradingBlock(duration).optional(),
  })
  .superRefine((scenario, ctx) => {
    if (scenario.timeline.every((step) => step.endsWith.length === 0 && !step.fault?.for))
      ctx.addIssue({ code: 'custom', path: ['timeline'], message: 'no step says what ends it (endsWith or fault.for)' });
  });

/** On-call: no story of its own; a run picks one scenario of the pool by seed and plays it blind. */
export const oncallScenarioSchema = z.strictObject({
  ...header,
  oncall: z.strictObject({ pool: z.array(scenarioId).min(1).describe('Scenario ids to pick from') }),
});

/** The one schema of a scenario file: a lab, or an on-call simulation over labs. */
export const scenarioSchema = z.union([labScenarioSchema, oncallScenarioSchema]);

export type LabScenario = z.output<typeof labScenarioSchema>;
export type OncallScenario = z.output<typeof oncallScenarioSchema>;
export type Scenario = LabScenario | OncallScenario;
export type TimelineStep = LabScenario['timeline'][number];

export function isOncall(scenario: Scenario): scenario is OncallScenario {
  return 'oncall' in scenario;
}
