import { formatDuration } from '@firedrill/chaos';
import type { JournalEvent } from '../runs/run-milestones.ts';
import type { CommsRule, Grade } from './grade-schema.ts';
import { atMs, dataOf, ofKind, textField } from './grading-journal.ts';

/**
 * The communication rules of TRAINING.md: the first status update within `firstUpdateWithinMs` of
 * declaring; no gap between updates (and from the last one to the resolve) beyond the time the
 * update promised; every update names the impact. `endMs` is when the run ended: an update
 * promised after an unresolved incident is due by then.
 */
export function communication(journal: readonly JournalEvent[], firstUpdateWithinMs: number, endMs: number): Grade['communication'] {
  const declared = ofKind(journal, 'incident.declared')[0];
  const updates = ofKind(journal, 'incident.update');
  if (!declared) {
    const none = 'no incident was declared';
    return {
      updates: updates.length,
      firstUpdateAfterDeclareMs: null,
      longestGapMs: null,
      rules: [
        { rule: 'first-update', passed: false, detail: none },
        { rule: 'update-cadence', passed: false, detail: none },
        { rule: 'impact-named', passed: false, detail: none },
      ],
    };
  }
  const declaredAt = atMs(declared);
  const first = updates[0];
  const firstAfter = first ? atMs(first) - declaredAt : null;
  const rules: CommsRule[] = [
    firstAfter === null
      ? { rule: 'first-update', passed: false, detail: 'no status update was posted' }
      : {
          rule: 'first-update',
          passed: firstAfter <= firstUpdateWithinMs,
          detail: `first update ${formatDuration(Math.max(0, firstAfter))} after declaring (due within ${formatDuration(firstUpdateWithinMs)})`,
        },
  ];

  // Each update's promise is kept by the next update, or by the resolve when it comes first.
  const resolvedAt = ofKind(journal, 'incident.resolved').map(atMs)[0];
  const late: string[] = [];
  let longestGapMs: number | null = null;
  updates.forEach((update, i) => {
    const promised = dataOf(update).nextUpdateMinutes;
    if (typeof promised !== 'number') return; // a resolution promises nothing
    const next = updates[i + 1];
    const keptAt = Math.min(next ? atMs(next) : Number.POSITIVE_INFINITY, resolvedAt ?? Number.POSITIVE_INFINITY, endMs);
    const gap = keptAt - atMs(update);
    longestGapMs = Math.max(longestGapMs ?? 0, gap);
    if (gap > promised * 60_000) late.push(`update ${i + 1} promised the next in ${promised}m; it came ${formatDuration(gap)} later`);
  });
  rules.push(
    updates.length === 0
      ? { rule: 'update-cadence', passed: false, detail: 'no status update was posted' }
      : { rule: 'update-cadence', passed: late.length === 0, detail: late.length === 0 ? 'every promised update came on time' : late.join('; ') },
  );

  const withoutImpact = updates.filter((update) => (textField(update, 'impact') ?? '').trim() === '').length;
  rules.push(
    updates.length === 0
      ? { rule: 'impact-named', passed: false, detail: 'no status update was posted' }
      : {
          rule: 'impact-named',
          passed: withoutImpact === 0,
          detail:
            withoutImpact === 0 ? `all ${updates.length} updates name the impact` : `${withoutImpact} of ${updates.length} updates do not name the impact`,
        },
  );
  return { updates: updates.length, firstUpdateAfterDeclareMs: firstAfter, longestGapMs, rules };
}
