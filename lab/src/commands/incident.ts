import {
  causeCategories,
  incidentRoles,
  severities,
  updateKinds,
  updateTemplates,
  type CauseCategory,
  type IncidentRole,
  type IncidentState,
  type RunEvent,
  type Severity,
  type UpdateKind,
} from '@firedrill/training';
import { exitCodes, UsageError, type Command, type CommandInput } from '../cli/command.ts';
import { result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { teamQuery, trainingClient } from '../cli/training-client.ts';
import { describeEvent } from '../runs/event-line.ts';

type IncidentView = IncidentState & { runId: string; runState: string; team: string | null };

const actions = ['declare', 'ack', 'severity', 'role', 'update', 'note', 'mitigated', 'resolve', 'timeline', 'status'] as const;
type Action = (typeof actions)[number];

const oneOf = <T extends string>(list: readonly T[], value: string | undefined, what: string): T => {
  if (value !== undefined && (list as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${what} must be one of ${list.join(', ')}${value === undefined ? '' : `, not "${value}"`}`);
};
const option = (values: CommandInput['values'], name: string): string | undefined => {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
};
const required = (values: CommandInput['values'], name: string, usage: string): string => {
  const value = option(values, name);
  if (value === undefined || value.trim() === '') throw new UsageError(`--${name} is required; usage: ${usage}`);
  return value;
};

/** What to POST for an action, from the command line (validated again by the server). */
export function requestFor(action: Action, positionals: string[], values: CommandInput['values']): { path: string; body?: unknown } | undefined {
  switch (action) {
    case 'declare':
      return {
        path: 'declare',
        body: {
          title: required(values, 'title', 'lab incident declare --title … --severity P2'),
          severity: oneOf<Severity>(severities, option(values, 'severity'), '--severity'),
        },
      };
    case 'ack':
    case 'mitigated':
      return { path: action };
    case 'severity':
      return {
        path: 'severity',
        body: {
          severity: oneOf<Severity>(severities, positionals[0], 'the severity'),
          reason: required(values, 'reason', 'lab incident severity P1 --reason …'),
        },
      };
    case 'role': {
      const trainee = positionals[1];
      if (!trainee) throw new UsageError('usage: lab incident role <ic|ops|comms|scribe> <trainee>');
      return { path: 'role', body: { role: oneOf<IncidentRole>(incidentRoles, positionals[0], 'the role'), trainee } };
    }
    case 'update': {
      const next = option(values, 'next');
      const minutes = next === undefined ? undefined : Number(next);
      if (minutes !== undefined && !Number.isInteger(minutes)) throw new UsageError(`--next takes whole minutes, not "${next}"`);
      return {
        path: 'update',
        body: {
          kind: oneOf<UpdateKind>(updateKinds, option(values, 'kind') ?? 'update', '--kind'),
          text: required(values, 'text', 'lab incident update --kind update --text … [--impact …] [--next 15]'),
          ...(option(values, 'impact') !== undefined && { impact: option(values, 'impact') }),
          ...(minutes !== undefined && { nextUpdateMinutes: minutes }),
        },
      };
    }
    case 'note': {
      const text = positionals.join(' ');
      if (text.trim() === '') throw new UsageError('usage: lab incident note <text>');
      return { path: 'note', body: { text } };
    }
    case 'resolve': {
      const category = option(values, 'category');
      return {
        path: 'resolve',
        body: {
          ...(category !== undefined && { category: oneOf<CauseCategory>(causeCategories, category, '--category') }),
          ...(option(values, 'summary') !== undefined && { summary: option(values, 'summary') }),
        },
      };
    }
    default:
      return undefined;
  }
}

/** The incident in a few lines: what a responder glances at. */
export function incidentSummary(view: IncidentView): string {
  const lines = [`run ${view.runId} (${view.runState})${view.team ? `, team ${view.team}` : ''}: ${view.status}`];
  for (const page of view.pages) lines.push(`  paged      ${page.at}  ${page.alertname}`);
  if (view.acknowledged) lines.push(`  acked      ${view.acknowledged.at}  by ${view.acknowledged.actor}`);
  const incident = view.incident;
  if (incident) {
    lines.push(`  incident   ${incident.id} "${incident.title}" ${incident.severity}, declared ${incident.declared.at} by ${incident.declared.actor}`);
    const roles = Object.entries(incident.roles).filter(([, who]) => who);
    if (roles.length > 0) lines.push(`  roles      ${roles.map(([role, who]) => `${role}=${who}`).join(' ')}`);
    const last = incident.updates.at(-1);
    if (last)
      lines.push(
        `  updates    ${incident.updates.length}, last ${last.at} (${last.kind})${last.nextUpdateMinutes ? `, next promised in ${last.nextUpdateMinutes} min` : ''}`,
      );
    if (incident.notes.length > 0) lines.push(`  notes      ${incident.notes.length}`);
    if (incident.mitigated) lines.push(`  mitigated  ${incident.mitigated.at}`);
    if (incident.resolved) lines.push(`  resolved   ${incident.resolved.at}${incident.resolved.category ? ` (${incident.resolved.category})` : ''}`);
  }
  if (view.hintsTaken.length > 0) lines.push(`  hints      ${view.hintsTaken.length} taken, cost ${view.hintsTaken.reduce((sum, h) => sum + h.cost, 0)}`);
  return lines.join('\n');
}

const usage =
  'lab incident declare --title … --severity P2 | ack | severity P1 --reason … | role <ic|ops|comms|scribe> <trainee> | ' +
  'update --kind ack|update|resolution --text … [--impact …] [--next 15] [--template] | note <text> | mitigated | ' +
  "resolve [--category …] [--summary …] | timeline | status [--json] [--team T]   (--team T: in a class, whose incident; the instructor's and operator's pick)";

/** `lab incident …`: the team's incident during a run, through the training process's incident API. */
export const incidentCommand: Command = {
  name: 'incident',
  summary: 'run the incident: declare, ack, severity, role, update (templates), note, mitigated, resolve, timeline, status',
  usage,
  options: {
    title: { type: 'string' },
    severity: { type: 'string' },
    reason: { type: 'string' },
    kind: { type: 'string' },
    text: { type: 'string' },
    impact: { type: 'string' },
    next: { type: 'string' },
    template: { type: 'boolean' },
    category: { type: 'string' },
    summary: { type: 'string' },
    json: { type: 'boolean' },
    team: { type: 'string' },
  },
  positionals: { min: 1, max: 200 },
  async run({ values, positionals, config }) {
    const [first, ...rest] = positionals;
    const action = oneOf<Action>(actions, first, 'the incident action');
    if (action === 'update' && values.template) {
      // Printed, not posted: fill it in, then post it with --text.
      result(updateTemplates[oneOf<UpdateKind>(updateKinds, option(values, 'kind') ?? 'update', '--kind')].text);
      return exitCodes.ok;
    }
    const request = requestFor(action, rest, values);
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const client = trainingClient(lab, config);
    // In a class the instructor and the operator name the team (else the newest run's); a trainee's is its own.
    const team = teamQuery(option(values, 'team'));
    if (action === 'timeline') {
      const timeline = await client.get<{ runId: string; events: RunEvent[] }>(`/api/incident/timeline${team}`);
      if (values.json) result(JSON.stringify(timeline, null, 2));
      else for (const event of timeline.events) result(`${event.at}  ${event.kind.padEnd(22)}  ${event.actor.padEnd(16)}  ${describeEvent(event)}`);
      return exitCodes.ok;
    }
    const view = request
      ? await client.post<IncidentView>(`/api/incident/${request.path}${team}`, request.body)
      : await client.get<IncidentView>(`/api/incident/status${team}`);
    result(values.json ? JSON.stringify(view, null, 2) : incidentSummary(view));
    return exitCodes.ok;
  },
};
