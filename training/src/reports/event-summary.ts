import type { TrainingEvent } from '../events/event-store.ts';

/**
 * One line per journal event for a timeline: what happened in words a trainee reads, the source
 * (who or what recorded it) beside it. An unknown kind still shows, with its data as JSON.
 */
export function eventSummary(event: Pick<TrainingEvent, 'kind' | 'data'>): string {
  const d = event.data ?? {};
  const s = (field: string) => (typeof d[field] === 'string' || typeof d[field] === 'number' ? String(d[field]) : '');
  switch (event.kind) {
    case 'run.state':
      return `run ${s('state')}${s('reason') ? `: ${s('reason')}` : ''}`;
    case 'run.paused':
      return `timeline paused at ${minutesOf(d.elapsedMs)} into the run`;
    case 'run.resumed':
      return `timeline resumed after ${minutesOf(d.pausedForMs)} paused`;
    case 'run.extended':
      return `timebox extended by ${s('minutes')} min (now ${minutesOf(d.timeboxMs)})`;
    case 'run.debriefed':
      return 'debrief held: the whole run is open to the team';
    case 'fault.injected':
      return `fault injected: ${s('family')} on ${s('target')}`;
    case 'fault.cleared':
      return `fault cleared (${s('faultId')})`;
    case 'cause.started':
      return `cause of step ${s('step')} started; ends with ${Array.isArray(d.endsWith) && d.endsWith.length > 0 ? d.endsWith.join(' or ') : 'its duration'}`;
    case 'cause.ended':
      return d.by === 'expired' ? `cause of step ${s('step')} expired` : `cause of step ${s('step')} ended by a lever of ${s('actor')}`;
    case 'deploy':
      return `deployed ${s('service')} ${s('version')}`;
    case 'rollback':
      return `rolled back ${s('service')}${s('version') ? ` to ${s('version')}` : ''}`;
    case 'flag.changed':
      return `flag ${s('flag')} set to ${JSON.stringify(d.value)}`;
    case 'lever.applied':
      return `lever: ${s('lever')}`;
    case 'alert.fired':
      return `alert fired: ${s('alertname')}`;
    case 'alert.resolved':
      return `alert resolved: ${s('alertname')}`;
    case 'probe.passing':
      return `probe passing: ${s('probe')}`;
    case 'probe.failing':
      return `probe failing: ${s('probe')}`;
    case 'page':
      return `paged for ${s('alertname')}`;
    case 'hint.taken':
      return `hint ${Number(d.index ?? 0) + 1} taken (cost ${s('cost')})`;
    case 'incident.acknowledged':
      return 'page acknowledged';
    case 'incident.declared':
      return `incident declared: ${s('title')} (${s('severity')})`;
    case 'incident.severity':
      return `severity ${s('previous')} → ${s('severity')}: ${s('reason')}`;
    case 'incident.role':
      return `${s('trainee')} is ${s('role')}`;
    case 'incident.update':
      return `status update (${s('kind')}): ${s('text')}${s('impact') ? ` — impact: ${s('impact')}` : ''}`;
    case 'incident.note':
      return `note: ${s('text')}`;
    case 'incident.mitigated':
      return 'marked mitigated';
    case 'incident.resolved':
      return `resolved${s('category') ? ` (cause: ${s('category')})` : ''}${s('summary') ? `: ${s('summary')}` : ''}`;
    case 'pir.submitted':
      return `PIR submitted (check score ${s('score')})`;
    case 'quiz.answered':
      return `quiz: ${s('trainee')} answered ${s('correct')} of ${s('total')}`;
    case 'access.refused':
      // Written by the chaos controller (where, action) and the lever service (action): what was tried and why not.
      return `refused${s('where') ? ` at the ${s('where')}` : ''}: ${s('action')} (${s('reason')})`;
    case 'shell.command':
      return `$ ${s('command')}${d.exitStatus ? ` (exit ${s('exitStatus')})` : ''}`;
    case 'runbook.step':
      return `runbook step ${s('step')} ${s('status')}`.trim();
    default:
      return `${event.kind} ${JSON.stringify(d)}`;
  }
}

/** A duration in ms as minutes and seconds ("5m", "1m30s"), for the pause and extension lines. */
function minutesOf(value: unknown): string {
  const total = typeof value === 'number' && Number.isFinite(value) ? Math.round(value / 1000) : 0;
  const [m, sec] = [Math.floor(total / 60), total % 60];
  return m === 0 ? `${sec}s` : sec === 0 ? `${m}m` : `${m}m${sec}s`;
}
