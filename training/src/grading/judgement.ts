import { severities } from '../incidents/incident-events.ts';
import type { JournalEvent } from '../runs/run-milestones.ts';
import type { Grade } from './grade-schema.ts';
import { ofKind, textField } from './grading-journal.ts';

/**
 * Severity: the one in force at the end (declared, then any re-assessment: a team that corrects
 * itself is judged on its final call) against the answer key, in levels (P0…P3).
 */
export function severityJudgement(journal: readonly JournalEvent[], expected: string): Grade['severity'] {
  const declared = textField(ofKind(journal, 'incident.declared')[0] ?? emptyEvent, 'severity');
  const changed = ofKind(journal, 'incident.severity').at(-1);
  const final = (changed && textField(changed, 'severity')) ?? declared;
  const level = (severity: string | null) => (severity === null ? -1 : (severities as readonly string[]).indexOf(severity));
  const levelsOff = level(final) < 0 || level(expected) < 0 ? null : Math.abs(level(final) - level(expected));
  return { declared, final, expected, levelsOff };
}

/** The root-cause category the trainees named on resolving (the last resolve) against the answer key. */
export function rootCauseJudgement(journal: readonly JournalEvent[], expected: string): Grade['rootCause'] {
  const resolved = ofKind(journal, 'incident.resolved').at(-1);
  const named = resolved ? textField(resolved, 'category') : null;
  return { named, expected, correct: named === expected };
}

const emptyEvent: JournalEvent = { id: 0, at: new Date(0).toISOString(), actor: '', kind: '', data: {} };
