import { incidentRoles, type CauseCategory, type IncidentRole, type Severity, type UpdateKind } from './incident-events.ts';

/**
 * A team's incident during one run, folded from that team's events of the run (oldest first).
 * A pure function: no clock, no I/O, so the order rules (incident-decide.ts), the routes, grading
 * and the PIR draft all read the same state from the same journal, and a restarted process
 * rebuilds it from the database alone. Every time here is an event's `at` (the lab's clock).
 */

/** The parts of an event the fold reads (the journal's TrainingEvent has them). */
export interface IncidentJournalEvent {
  id: number;
  at: string;
  actor: string;
  kind: string;
  data: Record<string, unknown>;
}

/**
 * none: nothing happened yet; open: the team was paged or acknowledged but has not declared;
 * declared → mitigated → resolved: the incident's milestones.
 */
export type IncidentStatus = 'none' | 'open' | 'declared' | 'mitigated' | 'resolved';

export interface Stamp {
  at: string;
  actor: string;
}

export interface StatusUpdate extends Stamp {
  kind: UpdateKind;
  text: string;
  impact: string | null;
  nextUpdateMinutes: number | null;
}

export interface Incident {
  id: string;
  title: string;
  severity: Severity;
  declared: Stamp;
  severityChanges: (Stamp & { severity: Severity; previous: Severity; reason: string })[];
  roles: Record<IncidentRole, string | null>;
  updates: StatusUpdate[];
  notes: (Stamp & { text: string })[];
  mitigated: Stamp | null;
  resolved: (Stamp & { category: CauseCategory | null; summary: string | null }) | null;
}

export interface IncidentState {
  status: IncidentStatus;
  /** Every page, once per alert name (the run records at most one per alert). */
  pages: (Stamp & { alertname: string; summary: string | null })[];
  acknowledged: Stamp | null;
  incident: Incident | null;
  hintsTaken: (Stamp & { index: number; cost: number; text: string })[];
}

export const emptyIncidentState: IncidentState = { status: 'none', pages: [], acknowledged: null, incident: null, hintsTaken: [] };

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const strOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const numOrNull = (value: unknown): number | null => (typeof value === 'number' ? value : null);

function statusOf(state: IncidentState): IncidentStatus {
  const incident = state.incident;
  if (incident?.resolved) return 'resolved';
  if (incident?.mitigated) return 'mitigated';
  if (incident) return 'declared';
  return state.pages.length > 0 || state.acknowledged ? 'open' : 'none';
}

/** One event applied to the state; events of other kinds leave it as it was. */
export function applyIncidentEvent(state: IncidentState, event: IncidentJournalEvent): IncidentState {
  const stamp: Stamp = { at: event.at, actor: event.actor };
  const data = event.data;
  const incident = state.incident;
  let next: IncidentState = state;
  switch (event.kind) {
    case 'page':
      next = { ...state, pages: [...state.pages, { ...stamp, alertname: str(data.alertname), summary: strOrNull(data.summary) }] };
      break;
    case 'incident.acknowledged':
      // Only the first acknowledgement counts (decide refuses a second; the fold agrees anyway).
      next = state.acknowledged ? state : { ...state, acknowledged: stamp };
      break;
    case 'incident.declared':
      if (incident) break;
      next = {
        ...state,
        incident: {
          id: str(data.incidentId),
          title: str(data.title),
          severity: data.severity as Severity,
          declared: stamp,
          severityChanges: [],
          roles: Object.fromEntries(incidentRoles.map((role) => [role, null])) as Record<IncidentRole, string | null>,
          updates: [],
          notes: [],
          mitigated: null,
          resolved: null,
        },
      };
      break;
    case 'incident.severity':
      if (!incident) break;
      next = {
        ...state,
        incident: {
          ...incident,
          severity: data.severity as Severity,
          severityChanges: [
            ...incident.severityChanges,
            { ...stamp, severity: data.severity as Severity, previous: data.previous as Severity, reason: str(data.reason) },
          ],
        },
      };
      break;
    case 'incident.role':
      if (!incident) break;
      next = { ...state, incident: { ...incident, roles: { ...incident.roles, [data.role as IncidentRole]: str(data.trainee) } } };
      break;
    case 'incident.update':
      if (!incident) break;
      next = {
        ...state,
        incident: {
          ...incident,
          updates: [
            ...incident.updates,
            {
              ...stamp,
              kind: data.kind as UpdateKind,
              text: str(data.text),
              impact: strOrNull(data.impact),
              nextUpdateMinutes: numOrNull(data.nextUpdateMinutes),
            },
          ],
        },
      };
      break;
    case 'incident.note':
      if (!incident) break;
      next = { ...state, incident: { ...incident, notes: [...incident.notes, { ...stamp, text: str(data.text) }] } };
      break;
    case 'incident.mitigated':
      if (!incident || incident.mitigated) break;
      next = { ...state, incident: { ...incident, mitigated: stamp } };
      break;
    case 'incident.resolved':
      if (!incident || incident.resolved) break;
      next = {
        ...state,
        incident: {
          ...incident,
          // decide appends incident.mitigated before a resolve that skips it; a journal written by
          // hand without it still reads as mitigated when resolved.
          mitigated: incident.mitigated ?? stamp,
          resolved: { ...stamp, category: strOrNull(data.category) as CauseCategory | null, summary: strOrNull(data.summary) },
        },
      };
      break;
    case 'hint.taken':
      next = {
        ...state,
        hintsTaken: [...state.hintsTaken, { ...stamp, index: Number(data.index), cost: Number(data.cost), text: str(data.text) }],
      };
      break;
    default:
      return state;
  }
  return next === state ? state : { ...next, status: statusOf(next) };
}

/** The state after all `events` (one team's events of one run, oldest first). */
export function foldIncident(events: readonly IncidentJournalEvent[]): IncidentState {
  return events.reduce(applyIncidentEvent, emptyIncidentState);
}

/** The kinds the fold reads: what the incident shell selects from the journal. */
export const incidentStateKinds = [
  'page',
  'incident.acknowledged',
  'incident.declared',
  'incident.severity',
  'incident.role',
  'incident.update',
  'incident.note',
  'incident.mitigated',
  'incident.resolved',
  'hint.taken',
] as const;
