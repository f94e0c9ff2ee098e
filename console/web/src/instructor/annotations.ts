import type { RunEvent } from '../run-events.ts';
import type { JournalEntry, Run } from './instructor-types.ts';

/** A moment drawn on the debrief's charts as a vertical line, its label listed beside them. */
export interface Annotation {
  /** Unix seconds. */
  at: number;
  label: string;
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

/** A minute either side of the run, so the charts show the shop before and after. */
const marginSeconds = 60;

/** The debrief charts' window: from a minute before the run went live (or was created) to a minute after it ended. */
export function runWindow(run: Pick<Run, 'createdAt' | 'liveAt' | 'endedAt'>, nowMs: number): { from: number; to: number } {
  const from = Math.floor(seconds(run.liveAt ?? run.createdAt)) - marginSeconds;
  const to = Math.ceil(run.endedAt ? seconds(run.endedAt) : nowMs / 1000) + marginSeconds;
  return { from, to };
}

const str = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/** An event the debrief reveals, in words; undefined for the rest (incident commands are on the timeline). */
function eventLabel(event: RunEvent): string | undefined {
  const data = (event.data ?? {}) as Record<string, unknown>;
  switch (event.kind) {
    case 'cause.started':
      return `cause started (step ${str(data.step)})`;
    case 'cause.ended':
      return `cause ended (${str(data.by) || 'ended'})`;
    case 'fault.injected':
      return `fault injected: ${str(data.family)} on ${str(data.target)}`;
    case 'fault.cleared':
      return 'fault cleared';
    case 'run.paused':
      return 'run paused';
    case 'run.resumed':
      return 'run resumed';
    case 'run.extended':
      return `run extended by ${str(data.minutes)} min`;
    default:
      return undefined;
  }
}

/**
 * The debrief's marks: the run's causes and the faults its driver injected (instructor-only
 * events), and the curveballs — faults the instructor injected by hand during the run. The driver
 * records only its own faults, so those come from the chaos controller's journal: an injection
 * inside the run's window whose fault id no fault.injected event names. Oldest first.
 */
export function runAnnotations(events: readonly RunEvent[], journal: readonly JournalEntry[], window: { from: number; to: number }): Annotation[] {
  const marks: Annotation[] = [];
  const driverFaults = new Set<string>();
  for (const event of events) {
    if (event.kind === 'fault.injected') driverFaults.add(str((event.data as Record<string, unknown> | undefined)?.faultId));
    const label = eventLabel(event);
    if (label) marks.push({ at: seconds(event.at), label });
  }
  const curveballs = new Set<string>();
  for (const entry of [...journal].sort((a, b) => a.at.localeCompare(b.at))) {
    const at = seconds(entry.at);
    if (at < window.from || at > window.to || entry.faultId === null || driverFaults.has(entry.faultId)) continue;
    if (entry.action === 'inject') {
      curveballs.add(entry.faultId);
      const spec = (entry.details.spec ?? {}) as Record<string, unknown>;
      marks.push({ at, label: `curveball: ${str(spec.family)} on ${str(spec.target)} (by ${entry.actor})` });
    } else if (curveballs.has(entry.faultId) && ['clear', 'expire', 'halt'].includes(entry.action)) {
      marks.push({ at, label: `curveball ${entry.action === 'expire' ? 'expired' : 'cleared'}` });
    }
  }
  return marks.sort((a, b) => a.at - b.at);
}
