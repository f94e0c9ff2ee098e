import type { CauseCategory, IncidentEventDataOf, IncidentEventKind, IncidentRole, Severity, UpdateKind } from './incident-events.ts';
import type { IncidentState } from './incident-state.ts';

/**
 * What a trainee asks of the incident, already validated (sizes, enums: the routes' schemas).
 * decide() only rules on the order of things, from the state the journal folds to.
 */
export type IncidentCommand =
  | { kind: 'declare'; title: string; severity: Severity }
  | { kind: 'ack' }
  | { kind: 'severity'; severity: Severity; reason: string }
  | { kind: 'role'; role: IncidentRole; trainee: string }
  | { kind: 'update'; updateKind: UpdateKind; text: string; impact: string | null; nextUpdateMinutes: number | null }
  | { kind: 'note'; text: string }
  | { kind: 'mitigated' }
  | { kind: 'resolve'; category: CauseCategory | null; summary: string | null };

/** One event to append, with its data in the contract's shape (incident-events.ts). */
export type IncidentEventToAppend = { [K in IncidentEventKind]: { kind: K; data: IncidentEventDataOf<K> } }[IncidentEventKind];

/**
 * Why a command is refused: `not_declared` (it needs an incident first), `already_declared` (one
 * incident per team and run; `incidentId` names it), `conflict` (a milestone already reached, or
 * a change that changes nothing).
 */
export interface IncidentRefusal {
  reason: 'not_declared' | 'already_declared' | 'conflict';
  message: string;
  incidentId?: string;
}

export type Decision = { ok: true; events: IncidentEventToAppend[] } | { ok: false; refusal: IncidentRefusal };

export interface DecideContext {
  /** The id a declaration gives the incident (the shell makes it; decide stays pure). */
  newIncidentId: string;
}

const refuse = (reason: IncidentRefusal['reason'], message: string, incidentId?: string): Decision => ({
  ok: false,
  refusal: { reason, message, ...(incidentId !== undefined && { incidentId }) },
});

/**
 * The incident's order rules, as FireHydrant enforces milestones:
 * - acknowledge the page once, before or after declaring (not once resolved);
 * - one declaration per team and run, whatever became of the first;
 * - severity, roles, updates, notes, mitigated and resolve need a declared incident;
 * - mitigated once, before resolve; severity and roles stop changing once resolved;
 * - resolve straight after declare is allowed: restoring service implies mitigating it, so the
 *   decision appends incident.mitigated then incident.resolved, and the journal says both;
 * - updates and notes are still taken after resolving (the resolution update comes then).
 */
export function decide(command: IncidentCommand, state: IncidentState, context: DecideContext): Decision {
  const incident = state.incident;
  if (command.kind === 'ack') {
    if (state.acknowledged) return refuse('conflict', `The page was already acknowledged (by ${state.acknowledged.actor} at ${state.acknowledged.at})`);
    if (incident?.resolved) return refuse('conflict', `Incident ${incident.id} is resolved: there is nothing left to acknowledge`, incident.id);
    return { ok: true, events: [{ kind: 'incident.acknowledged', data: { incidentId: incident?.id ?? null } }] };
  }
  if (command.kind === 'declare') {
    if (incident)
      return refuse(
        'already_declared',
        `Incident ${incident.id} ("${incident.title}") was already declared in this run; carry on with it (one incident per team and run)`,
        incident.id,
      );
    return { ok: true, events: [{ kind: 'incident.declared', data: { incidentId: context.newIncidentId, title: command.title, severity: command.severity } }] };
  }
  if (!incident) return refuse('not_declared', `Declare the incident first (\`lab incident declare --title … --severity P2\`): ${command.kind} needs one`);
  const incidentId = incident.id;
  const resolved = incident.resolved;

  switch (command.kind) {
    case 'severity':
      if (resolved) return refuse('conflict', `Incident ${incidentId} is resolved: its severity no longer changes`, incidentId);
      if (command.severity === incident.severity) return refuse('conflict', `Incident ${incidentId} is already ${incident.severity}`, incidentId);
      return {
        ok: true,
        events: [{ kind: 'incident.severity', data: { incidentId, severity: command.severity, previous: incident.severity, reason: command.reason } }],
      };
    case 'role':
      if (resolved) return refuse('conflict', `Incident ${incidentId} is resolved: roles no longer change`, incidentId);
      if (incident.roles[command.role] === command.trainee) return refuse('conflict', `${command.trainee} is already ${command.role}`, incidentId);
      return { ok: true, events: [{ kind: 'incident.role', data: { incidentId, role: command.role, trainee: command.trainee } }] };
    case 'update':
      return {
        ok: true,
        events: [
          {
            kind: 'incident.update',
            data: { incidentId, kind: command.updateKind, text: command.text, impact: command.impact, nextUpdateMinutes: command.nextUpdateMinutes },
          },
        ],
      };
    case 'note':
      return { ok: true, events: [{ kind: 'incident.note', data: { incidentId, text: command.text } }] };
    case 'mitigated':
      if (resolved) return refuse('conflict', `Incident ${incidentId} is already resolved`, incidentId);
      if (incident.mitigated) return refuse('conflict', `Incident ${incidentId} was already marked mitigated (at ${incident.mitigated.at})`, incidentId);
      return { ok: true, events: [{ kind: 'incident.mitigated', data: { incidentId } }] };
    case 'resolve': {
      if (resolved) return refuse('conflict', `Incident ${incidentId} was already resolved (at ${resolved.at})`, incidentId);
      const resolve: IncidentEventToAppend = { kind: 'incident.resolved', data: { incidentId, category: command.category, summary: command.summary } };
      return { ok: true, events: incident.mitigated ? [resolve] : [{ kind: 'incident.mitigated', data: { incidentId } }, resolve] };
    }
  }
}
