import type { PirFinding } from './pir-check.ts';

/**
 * A PIR's score: 100 minus the weight of each finding, never below 0. Weights say what a trainer
 * cares about most: blame and missing sections cost most, an unfinished line or action item less.
 * Each rule's total is capped, so one long list of the same slip (twenty rows without a due date)
 * cannot hide every other lesson in the grade.
 */
export const findingWeights: Readonly<Record<string, { each: number; cap: number }>> = {
  'missing-title': { each: 2, cap: 2 },
  'missing-section': { each: 8, cap: 48 },
  placeholder: { each: 3, cap: 18 },
  'impact-number': { each: 8, cap: 8 },
  'timeline-row': { each: 1, cap: 5 },
  'action-items-table': { each: 10, cap: 10 },
  'no-action-items': { each: 10, cap: 10 },
  'action-owner': { each: 3, cap: 12 },
  'action-type': { each: 2, cap: 8 },
  'action-due': { each: 2, cap: 8 },
  'blame-name': { each: 10, cap: 30 },
  'human-error': { each: 8, cap: 16 },
  hindsight: { each: 3, cap: 12 },
};

/** A rule this table does not know costs this much (so a new rule is never free by accident). */
const unknownRule = { each: 3, cap: 15 };

export function scorePir(findings: readonly PirFinding[]): number {
  const perRule = new Map<string, number>();
  for (const finding of findings) perRule.set(finding.rule, (perRule.get(finding.rule) ?? 0) + 1);
  let deducted = 0;
  for (const [rule, count] of perRule) {
    const weight = findingWeights[rule] ?? unknownRule;
    deducted += Math.min(weight.cap, weight.each * count);
  }
  return Math.max(0, 100 - deducted);
}
