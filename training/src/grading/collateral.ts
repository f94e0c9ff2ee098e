import { parseLever, type Lever } from '../levers/lever.ts';
import type { JournalEvent } from '../runs/run-milestones.ts';
import { atMs, dataOf, ofKind, textField } from './grading-journal.ts';

/**
 * Collateral: levers pulled on components that were healthy. A lever the run matched to a cause
 * (`matched` ends/eases) is never collateral; one it did not match counts when its component had
 * no fault, release or flag change of the scenario's causes started before it. What it broke is
 * measured by a gatherer from the shop's own data (reports/collateral-gatherer.ts), so the grade
 * stays a function of its inputs.
 */

export interface NeedlessLever {
  eventId: number;
  lever: string;
  atMs: number;
  actor: string;
  component: string;
}

/** What the shop's data says a needless lever broke: orders failed during its window. */
export interface CollateralMeasure {
  eventId: number;
  /** null when the shop's data could not be read. */
  ordersFailed: number | null;
}

/** The component a lever acts on. */
export function componentOf(lever: Lever): string {
  switch (lever.kind) {
    case 'restart':
    case 'rollback':
    case 'deploy':
      return lever.service;
    case 'flag':
      return lever.flag.split('.')[0]!;
    case 'failover':
      return 'payments';
    case 'scale':
    case 'dead-letter':
      return 'worker';
    case 'end-db-sessions':
      return 'postgres';
    case 'redis-maxmemory':
    case 'redis-delete':
      return 'redis';
  }
}

/** Components a cause made unhealthy: its faults' targets, its release's service, its flags' services. */
function brokenBy(started: JournalEvent): string[] {
  const actions = Array.isArray(dataOf(started).actions) ? (dataOf(started).actions as Record<string, unknown>[]) : [];
  return actions.flatMap((action) => {
    if (action.kind === 'deploy' && typeof action.service === 'string') return [action.service];
    if (action.kind === 'flag' && typeof action.flag === 'string') return [action.flag.split('.')[0]!];
    const fault = action.fault as Record<string, unknown> | undefined;
    if (action.kind === 'inject' && typeof fault?.target === 'string') return [fault.target];
    return [];
  });
}

export function needlessLevers(journal: readonly JournalEvent[]): NeedlessLever[] {
  const causes = ofKind(journal, 'cause.started');
  return ofKind(journal, 'lever.applied').flatMap((event) => {
    if (dataOf(event).matched === 'ends' || dataOf(event).matched === 'eases') return [];
    const text = textField(event, 'lever') ?? '';
    const parsed = parseLever(text);
    if (!parsed.ok) return [];
    const component = componentOf(parsed.lever);
    const unhealthy = new Set(causes.filter((cause) => cause.id < event.id).flatMap(brokenBy));
    return unhealthy.has(component) ? [] : [{ eventId: event.id, lever: text, atMs: atMs(event), actor: event.actor, component }];
  });
}
