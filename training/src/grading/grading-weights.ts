import { z } from 'zod';

/**
 * How a run's grade turns into a score out of 100: the points each part is worth and what each
 * deduction costs. A scenario may override any of them in its `grading:` block; everything not
 * given comes from `defaultGrading`, the one place the defaults live.
 */

/** Points per part; they add up to 100 by default (a scenario that changes them should keep that). */
export const defaultWeights = {
  detect: 15,
  acknowledge: 10,
  mitigate: 25,
  resolve: 10,
  communication: 15,
  severity: 5,
  rootCause: 10,
  pir: 10,
} as const;

export const defaultGrading = {
  weights: defaultWeights,
  /** A time over par loses its points linearly, reaching 0 at this multiple of par. */
  zeroPointsAtPar: 3,
  /** The first status update is due this long after the declaration (PagerDuty's 5 minutes; scaled by --speed). */
  firstUpdateWithinMs: 5 * 60_000,
  /** Points off for each lever pulled on a healthy component. */
  needlessLever: 5,
  /** Points off for each order that failed while a needless lever acted. */
  perFailedOrder: 0.5,
  /** How long after a needless lever its effects are counted (a restart's outage and its warm-up). */
  collateralWindowMs: 60_000,
} as const;

export type GradingWeights = { [part in keyof typeof defaultWeights]: number };
export interface GradingSettings {
  weights: GradingWeights;
  zeroPointsAtPar: number;
  firstUpdateWithinMs: number;
  needlessLever: number;
  perFailedOrder: number;
  collateralWindowMs: number;
}

const points = z.number().min(0).max(100);
const weightsBlock = z.strictObject(
  Object.fromEntries(Object.keys(defaultWeights).map((part) => [part, points.optional()])) as Record<keyof GradingWeights, z.ZodOptional<typeof points>>,
);

/**
 * The scenario file's optional `grading:` block. Durations arrive already parsed to ms by the
 * scenario schema (it passes its `duration` type in, so this file does not depend on it).
 */
export function gradingBlock(duration: z.ZodType<number, string>) {
  return z
    .strictObject({
      weights: weightsBlock.optional().describe(`Points per part (defaults: ${JSON.stringify(defaultWeights)})`),
      zeroPointsAtPar: z.number().min(1).max(20).optional().describe('A time over par reaches 0 points at this multiple of par (default 3)'),
      firstUpdateWithin: duration.optional().describe('The first status update is due this long after declaring (default 5m)'),
      needlessLever: points.optional().describe('Points off per lever pulled on a healthy component (default 5)'),
      perFailedOrder: points.optional().describe('Points off per order failed while a needless lever acted (default 0.5)'),
      collateralWindow: duration.optional().describe('How long after a needless lever its effects count (default 1m)'),
    })
    .describe('How the grade is scored; every field is optional and falls back to the defaults');
}

export type GradingBlock = z.output<ReturnType<typeof gradingBlock>>;

/** The scenario's block over the defaults. */
export function gradingSettings(block: GradingBlock | undefined): GradingSettings {
  return {
    weights: { ...defaultWeights, ...stripUndefined(block?.weights ?? {}) },
    zeroPointsAtPar: block?.zeroPointsAtPar ?? defaultGrading.zeroPointsAtPar,
    firstUpdateWithinMs: block?.firstUpdateWithin ?? defaultGrading.firstUpdateWithinMs,
    needlessLever: block?.needlessLever ?? defaultGrading.needlessLever,
    perFailedOrder: block?.perFailedOrder ?? defaultGrading.perFailedOrder,
    collateralWindowMs: block?.collateralWindow ?? defaultGrading.collateralWindowMs,
  };
}

function stripUndefined<T extends Record<string, number | undefined>>(values: T): Partial<Record<keyof T, number>> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<Record<keyof T, number>>;
}
