import { incidentRoles, type IncidentRole } from '../incidents/incident-events.ts';
import type { ImpactFigures } from './impact-figures.ts';
import { impactWindow, type ImpactWindow } from './impact-window.ts';
import { personOf, text, visibleEvents, type PirEvent, type PirRun } from './pir-events.ts';
import { pirSections, placeholderMarker, type PirSectionId } from './pir-sections.ts';

/**
 * `lab pir new`: a PIR drafted from a run's journal. Pure — the run, its events and the impact
 * figures in, Markdown out — so every line can be tested with hand-built events. What the journal
 * knows is written out (times, who did what, the numbers); what only the team can judge (trigger,
 * root cause, lessons, actions, messages) is left as `TODO(team)` lines that `lab pir check`
 * reports until they are filled.
 */

const todo = (what: string) => `${placeholderMarker}: ${what}`;
const title = (id: PirSectionId) => pirSections.find((s) => s.id === id)!.title;

const roleNames: Record<IncidentRole, string> = { ic: 'incident commander', ops: 'operations', comms: 'communications', scribe: 'scribe' };

export function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

export function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return s > 0 ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}

/** A table cell: pipes and line breaks would break the row. */
const cell = (value: string) => value.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
/** Text trainees wrote, quoted as the record: never rewritten. */
const quote = (value: string) => `"${value.replace(/"/g, "'")}"`;

export function draftPir(run: PirRun, journal: readonly PirEvent[], figures: ImpactFigures): string {
  const events = visibleEvents(journal);
  const window = impactWindow(events);
  const declared = events.find((e) => e.kind === 'incident.declared');
  const scenarioTitle = run.blind ? null : run.title;
  const incidentTitle = text(declared?.data.title) ?? scenarioTitle ?? `Run ${run.id}`;
  const dayMs = window?.startMs ?? (run.liveAt ? Date.parse(run.liveAt) : undefined);

  const out: string[] = [];
  out.push(`# Post-incident review: ${incidentTitle}`, '');
  out.push(`- **Run:** ${run.id}${run.blind || !run.title ? '' : ` (${run.title})`}`);
  if (run.team) out.push(`- **Team:** ${run.team}`);
  out.push(`- **Date:** ${dayMs === undefined ? 'unknown' : new Date(dayMs).toISOString().slice(0, 10)} (times in UTC)`);
  out.push(`- **Authors:** ${todo('who wrote this review')}`);
  out.push('- **Status:** draft', '');

  out.push(`## ${title('summary')}`, '', ...summary(events, window), '');
  out.push(`## ${title('impact')}`, '', ...impact(events, window, figures), '');
  out.push(`## ${title('responders')}`, '', ...responders(events), '');
  out.push(`## ${title('detection')}`, '', ...detection(events, window), '');
  out.push(`## ${title('timeline')}`, '', ...timeline(events), '');
  out.push(`## ${title('root-cause')}`, '', ...rootCause(events), '');
  out.push(`## ${title('resolution')}`, '', ...resolution(events, window), '');
  out.push(`## ${title('lessons')}`, '');
  out.push('### What went well', '', `- ${todo('what helped (an alert that fired early, a runbook that worked)')}`, '');
  out.push('### What went wrong', '', `- ${todo('what made it longer or worse — about the system and the process, not people')}`, '');
  out.push('### Where we got lucky', '', `- ${todo('what could have made it worse and did not')}`, '');
  out.push(`## ${title('action-items')}`, '');
  out.push('| action | type | owner | due | tracking |', '|---|---|---|---|---|');
  out.push(`| ${todo('what will change')} | mitigate, prevent or process | ${placeholderMarker} | YYYY-MM-DD | ${placeholderMarker} |`, '');
  out.push(`## ${title('messaging')}`, '', ...messaging(events), '');
  out.push(`## ${title('supporting')}`, '');
  out.push(`- The run's events: \`GET /api/runs/${run.id}/events\` (the source of every timeline row, by event id)`);
  out.push('- Dashboards: the lab\'s Grafana "Shop overview" over the impact window');
  out.push('');
  return out.join('\n');
}

function summary(events: readonly PirEvent[], window: ImpactWindow | null): string[] {
  const declared = events.find((e) => e.kind === 'incident.declared');
  const severity = lastSeverity(events);
  const facts: string[] = [];
  if (window)
    facts.push(
      window.endMs === null
        ? `Customers were affected from ${clock(window.startMs)} UTC, and still were when the run ended.`
        : `Customers were affected for ${duration(window.endMs - window.startMs)}, from ${clock(window.startMs)} to ${clock(window.endMs)} UTC.`,
    );
  if (declared)
    facts.push(`The team declared ${quote(String(declared.data.title))} at ${clock(Date.parse(declared.at))} UTC${severity ? `, severity ${severity}` : ''}.`);
  return [...facts, '', todo('in one or two sentences: what failed, why, and what customers felt')];
}

function lastSeverity(events: readonly PirEvent[]): string | undefined {
  const changes = events.filter((e) => e.kind === 'incident.declared' || e.kind === 'incident.severity');
  return text(changes.at(-1)?.data.severity);
}

function figure(value: number | null, unit: string, source: string): string {
  return value === null ? `unknown (${source} could not be read when this was drafted)` : `${value}${unit}`;
}

function impact(events: readonly PirEvent[], window: ImpactWindow | null, figures: ImpactFigures): string[] {
  const severities = events
    .filter((e) => e.kind === 'incident.declared' || e.kind === 'incident.severity')
    .map((e) => `${String(e.data.severity)} at ${clock(Date.parse(e.at))}`);
  const span =
    window === null
      ? 'unknown (no probe, alert or page was recorded)'
      : window.endMs === null
        ? `from ${clock(window.startMs)} UTC until the run ended without recovering`
        : `${duration(window.endMs - window.startMs)} (${clock(window.startMs)} to ${clock(window.endMs)} UTC; ended when ${window.endedBy})`;
  const lines = [
    `- **Duration:** ${span}`,
    `- **Severity:** ${severities.length > 0 ? severities.join(', then ') : 'not declared'}`,
    `- **Orders failed:** ${figure(figures.ordersFailed, '', "the shop's database")} (orders marked payment_failed)`,
    `- **Checkouts refused (5xx):** ${figure(figures.checkoutErrors, '', 'Prometheus')}`,
    `- **Payments failed:** ${figure(figures.paymentsFailed, '', 'Prometheus')} (payment_processed_total, status failed)`,
    `- **Error budget burned:** ${figure(figures.errorBudgetBurnedPercent, '%', 'Prometheus')} of the checkout-availability SLO's budget`,
  ];
  for (const note of figures.notes) lines.push(`- _Note: ${note}_`);
  return lines;
}

function responders(events: readonly PirEvent[]): string[] {
  const assignments = events.filter((e) => e.kind === 'incident.role');
  const lines: string[] = [];
  if (assignments.length === 0) lines.push('No incident roles were assigned during the incident.');
  else {
    lines.push('| role | who | assigned (UTC) | source |', '|---|---|---|---|');
    for (const role of incidentRoles) {
      for (const event of assignments.filter((e) => e.data.role === role))
        lines.push(`| ${roleNames[role]} | ${cell(String(event.data.trainee))} | ${clock(Date.parse(event.at))} | incident.role #${event.id} |`);
    }
  }
  const named = new Set(assignments.map((e) => String(e.data.trainee)));
  const others = [...new Set(events.filter((e) => isTeamAction(e.kind)).flatMap((e) => personOf(e.actor) ?? []))].filter((name) => !named.has(name));
  if (others.length > 0) lines.push('', `Also acted: ${others.join(', ')}.`);
  return lines;
}

const isTeamAction = (kind: string) =>
  kind.startsWith('incident.') || kind === 'lever.applied' || kind === 'hint.taken' || kind === 'flag.changed' || kind === 'rollback';

function detection(events: readonly PirEvent[], window: ImpactWindow | null): string[] {
  const at = (e: PirEvent) => Date.parse(e.at);
  const alert = events.find((e) => e.kind === 'alert.fired');
  const page = events.find((e) => e.kind === 'page');
  const ack = events.find((e) => e.kind === 'incident.acknowledged');
  const declared = events.find((e) => e.kind === 'incident.declared');
  const since = (e: PirEvent, from: PirEvent | undefined, what: string) => (from ? ` (${duration(at(e) - at(from))} after ${what})` : '');
  const lines = [
    alert ? `- **First alert:** ${String(alert.data.alertname)} fired at ${clock(at(alert))} UTC` : '- **First alert:** none fired',
    page ? `- **Page:** ${String(page.data.alertname)} paged the team at ${clock(at(page))} UTC` : '- **Page:** the team was not paged',
    ack ? `- **Acknowledged:** ${clock(at(ack))} UTC by ${personOf(ack.actor) ?? ack.actor}${since(ack, page, 'the page')}` : '- **Acknowledged:** never',
    declared
      ? `- **Declared:** ${clock(at(declared))} UTC by ${personOf(declared.actor) ?? declared.actor}${window ? ` (${duration(at(declared) - window.startMs)} after the first sign)` : ''}`
      : '- **Declared:** never',
    '',
    todo('how was it noticed, and what would halve the time to detect it next time?'),
  ];
  return lines;
}

/** One row per event the team could see; probes only when the overall verdict changes. */
function timeline(events: readonly PirEvent[]): string[] {
  const rows = ['| time (UTC) | what happened | source |', '|---|---|---|'];
  const verdicts = new Map<string, boolean>();
  let allPassing: boolean | undefined;
  for (const event of events) {
    let what: string | undefined;
    if (event.kind === 'probe.passing' || event.kind === 'probe.failing') {
      verdicts.set(String(event.data.probe ?? '?'), event.kind === 'probe.passing');
      const now = [...verdicts.values()].every(Boolean);
      if (now !== allPassing) what = now ? 'every probe passes' : `probe failing: ${String(event.data.probe)}`;
      allPassing = now;
    } else what = describe(event);
    if (what) rows.push(`| ${clock(Date.parse(event.at))} | ${cell(what)} | ${event.kind} #${event.id} · ${cell(event.actor)} |`);
  }
  return rows;
}

function describe(event: PirEvent): string | undefined {
  const d = event.data;
  const who = personOf(event.actor) ?? event.actor;
  switch (event.kind) {
    case 'run.state':
      return `run ${String(d.state)}${text(d.reason) ? ` (${String(d.reason)})` : ''}`;
    case 'alert.fired':
      return `alert ${String(d.alertname)} fired${text(d.summary) ? `: ${String(d.summary)}` : ''}`;
    case 'alert.resolved':
      return `alert ${String(d.alertname)} resolved`;
    case 'page':
      return `page: ${String(d.alertname)}`;
    case 'deploy':
      return `deploy: ${String(d.service)} ${String(d.previousVersion)} → ${String(d.version)}`;
    case 'rollback':
      return `rollback: ${String(d.service)} ${String(d.previousVersion)} → ${String(d.version)} by ${who}`;
    case 'flag.changed':
      return `flag ${String(d.flag)}: ${String(d.previous)} → ${String(d.value)} by ${who}`;
    case 'lever.applied':
      return `${who} ran \`${String(d.lever)}\`${text(d.summary) ? `: ${String(d.summary)}` : ''}`;
    case 'hint.taken':
      return `hint ${String(Number(d.index) + 1)} taken by ${who}`;
    case 'incident.acknowledged':
      return `${who} acknowledged the page`;
    case 'incident.declared':
      return `${who} declared ${quote(String(d.title))}, ${String(d.severity)}`;
    case 'incident.severity':
      return `severity ${String(d.previous)} → ${String(d.severity)} by ${who}: ${quote(String(d.reason))}`;
    case 'incident.role':
      return `${String(d.trainee)} is ${roleNames[d.role as IncidentRole] ?? String(d.role)}`;
    case 'incident.update':
      return `status update (${String(d.kind)}) by ${who}: ${quote(String(d.text))}`;
    case 'incident.note':
      return `note by ${who}: ${quote(String(d.text))}`;
    case 'incident.mitigated':
      return `${who} marked the incident mitigated`;
    case 'incident.resolved':
      return `${who} resolved the incident${text(d.category) ? ` (cause: ${String(d.category)})` : ''}`;
    default:
      // Kinds the PIR does not narrate (runbook steps, quiz answers, its own submissions).
      return undefined;
  }
}

function rootCause(events: readonly PirEvent[]): string[] {
  const resolved = events.findLast((e) => e.kind === 'incident.resolved');
  const lines = [`- **Trigger:** ${todo('what set it off (a release, a flag change, a dependency, load)')}`];
  lines.push(`- **Root cause:** ${todo('why the trigger could hurt customers; ask "why" until the answer is about the system')}`);
  lines.push(`- **Contributing factors:** ${todo('what made it worse or slower to fix')}`);
  if (resolved && (text(resolved.data.category) || text(resolved.data.summary)))
    lines.push(
      '',
      `Named when resolving: ${[text(resolved.data.category), text(resolved.data.summary) && quote(String(resolved.data.summary))].filter(Boolean).join(' — ')}.`,
    );
  return lines;
}

function resolution(events: readonly PirEvent[], window: ImpactWindow | null): string[] {
  const at = (e: PirEvent) => Date.parse(e.at);
  const lines: string[] = [];
  const actions = events.filter((e) => e.kind === 'lever.applied' || e.kind === 'rollback' || e.kind === 'flag.changed').filter((e) => personOf(e.actor));
  if (actions.length === 0) lines.push('- No lever was pulled by the team.');
  for (const event of actions) lines.push(`- ${clock(at(event))} UTC: ${describe(event)}`);
  const mitigated = events.find((e) => e.kind === 'incident.mitigated');
  const resolved = events.find((e) => e.kind === 'incident.resolved');
  if (window?.endedBy === 'probes held' && window.endMs !== null) lines.push(`- Every probe passed again from ${clock(window.endMs)} UTC.`);
  if (mitigated) lines.push(`- Marked mitigated at ${clock(at(mitigated))} UTC.`);
  if (resolved) lines.push(`- Resolved at ${clock(at(resolved))} UTC.`);
  lines.push('', todo('which step fixed it for now, and what is the long-term fix?'));
  return lines;
}

function messaging(events: readonly PirEvent[]): string[] {
  const updates = events.filter((e) => e.kind === 'incident.update');
  const lines = ['### Internal', '', todo('the summary for the rest of the company: what happened, impact, what changes'), ''];
  lines.push('### External', '');
  const last = updates.findLast((e) => e.data.kind === 'resolution') ?? updates.at(-1);
  if (last) lines.push(`The last status update said: ${quote(String(last.data.text))}`, '');
  lines.push(todo('the message for customers: what they saw, when it ended, what we are changing'));
  lines.push('', `Status updates posted during the incident: ${updates.length}.`);
  return lines;
}
