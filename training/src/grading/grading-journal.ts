import type { JournalEvent } from '../runs/run-milestones.ts';

/** Small readers over a run's journal shared by the grading rules (events oldest first). */

export const atMs = (event: JournalEvent): number => Date.parse(event.at);
export const dataOf = (event: JournalEvent): Record<string, unknown> => event.data ?? {};
export const ofKind = (journal: readonly JournalEvent[], kind: string): JournalEvent[] => journal.filter((event) => event.kind === kind);
export const textField = (event: JournalEvent, field: string): string | null => {
  const value = dataOf(event)[field];
  return typeof value === 'string' ? value : null;
};
export const numberField = (event: JournalEvent, field: string): number | null => {
  const value = dataOf(event)[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};
export const iso = (ms: number): string => new Date(ms).toISOString();
