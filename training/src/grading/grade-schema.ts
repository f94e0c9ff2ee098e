import { z } from 'zod';

/**
 * A run's grade as the report carries it (reportVersion 1): every raw figure, the verdict against
 * par, and the score with each part's points and each deduction's reason, so a trainer can see
 * why. The shapes are zod so the report's JSON contract is one exported schema.
 */

const ms = z.number().int().nullable();

export const timeFigureSchema = z.object({
  /** Milliseconds, or null when the milestone was never reached (see findings). */
  ms,
  parMs: z.number().int(),
  /** How far over par (0 within par); null when not reached. */
  overParMs: ms,
  verdict: z.string().describe('"within par", "over par by 2m 10s" or "not reached"'),
});
export type TimeFigure = z.output<typeof timeFigureSchema>;

export const commsRuleSchema = z.object({
  rule: z.enum(['first-update', 'update-cadence', 'impact-named']),
  passed: z.boolean(),
  detail: z.string(),
});
export type CommsRule = z.output<typeof commsRuleSchema>;

export const collateralSchema = z.object({
  lever: z.string(),
  at: z.iso.datetime(),
  actor: z.string(),
  /** The component the lever acted on, healthy at the time. */
  component: z.string(),
  /** Orders that failed in the lever's window (the shop's own data); null when it could not be read. */
  ordersFailed: z.number().int().nullable(),
});
export type CollateralLever = z.output<typeof collateralSchema>;

export const scoreLineSchema = z.object({
  part: z.string(),
  points: z.number(),
  /** A part's maximum; null for deductions. */
  max: z.number().nullable(),
  figure: z.string().describe('The raw figure the points come from'),
  reason: z.string(),
});
export type ScoreLine = z.output<typeof scoreLineSchema>;

export const gradeSchema = z.object({
  faultAt: z.iso.datetime().nullable(),
  times: z.object({ detect: timeFigureSchema, acknowledge: timeFigureSchema, mitigate: timeFigureSchema, resolve: timeFigureSchema }),
  /** Who or what made the probes hold: trainees by a lever, the cause expiring, or the instructor. */
  mitigatedBy: z.enum(['trainees', 'expiry', 'instructor']).nullable(),
  communication: z.object({
    updates: z.number().int(),
    firstUpdateAfterDeclareMs: ms,
    longestGapMs: ms,
    rules: z.array(commsRuleSchema),
  }),
  severity: z.object({
    declared: z.string().nullable(),
    final: z.string().nullable(),
    expected: z.string(),
    levelsOff: z.number().int().nullable(),
  }),
  rootCause: z.object({ named: z.string().nullable(), expected: z.string(), correct: z.boolean() }),
  hints: z.object({ taken: z.array(z.object({ index: z.number().int(), cost: z.number(), at: z.iso.datetime() })), totalCost: z.number() }),
  collateral: z.array(collateralSchema),
  pir: z
    .object({ pirId: z.string(), score: z.number(), findings: z.array(z.object({ rule: z.string(), line: z.number().nullable(), message: z.string() })) })
    .nullable(),
  quiz: z.array(z.object({ trainee: z.string(), correct: z.number().int(), total: z.number().int() })),
  /** What a trainer should read first: everything that cost points or could not be graded. */
  findings: z.array(z.string()),
  score: z.object({
    total: z.number(),
    max: z.literal(100),
    parts: z.array(scoreLineSchema),
    deductions: z.array(scoreLineSchema),
  }),
});
export type Grade = z.output<typeof gradeSchema>;
