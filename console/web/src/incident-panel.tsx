import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { formFields, type IncidentView, type IncidentVocabulary } from './incident-types.ts';
import type { RunEvent } from './run-events.ts';
import { teamNames, traineeNamePattern } from './team-names.ts';
import { withTeam } from './team-scope.ts';
import { UpdateForm } from './update-form.tsx';

const statusText: Record<IncidentView['status'], string> = {
  none: 'Nothing paged yet',
  open: 'Paged, not declared',
  declared: 'Declared',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
};

/**
 * The incident panel: acknowledge, declare, severity, roles, status updates, notes, mitigated,
 * resolve, each a call to the training API's incident commands as the signed-in trainee. The
 * panel re-reads the incident whenever the run's event stream moves (`version`). `team`: whose
 * incident (the operator's pick in a class; a trainee's is its own).
 */
export function IncidentPanel(props: { version: number; events: RunEvent[]; report: (message: string) => void; team?: string | null }) {
  const [view, setView] = useState<IncidentView | null>(null);
  const [vocabulary, setVocabulary] = useState<IncidentVocabulary | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    api<IncidentVocabulary>('GET', '/api/incident/templates').then(setVocabulary, (err: Error) => props.report(`Incident templates: ${err.message}`));
  }, []);
  useEffect(() => {
    api<IncidentView>('GET', withTeam('/api/incident/status', props.team)).then(setView, () => setView(null));
  }, [props.version, reload, props.team]);

  const command = (label: string, name: string, body?: unknown) =>
    api('POST', withTeam(`/api/incident/${name}`, props.team), body).then(
      () => {
        props.report(`${label}: done`);
        setReload((n) => n + 1);
      },
      (err: Error) => props.report(`${label}: ${err.message}`),
    );

  if (!view || !vocabulary)
    return (
      <section aria-labelledby="incident">
        <h2 id="incident">Incident</h2>
        <p>No incident to show yet.</p>
      </section>
    );
  const incident = view.incident;
  const severityOptions = vocabulary.severities.map((s) => <option key={s}>{s}</option>);
  return (
    <section aria-labelledby="incident">
      <h2 id="incident">Incident</h2>
      <p class={`status status-${view.status === 'resolved' || view.status === 'mitigated' ? 'ok' : view.status === 'none' ? 'idle' : 'bad'}`}>
        Status: {statusText[view.status]}
        {incident ? ` · ${incident.severity} · ${incident.title}` : ''}
      </p>
      {view.pages.length > 0 && (
        <ul aria-label="Pages">
          {view.pages.map((p) => (
            <li key={`${p.at}-${p.alertname}`}>
              Paged <time dateTime={p.at}>{p.at.slice(11, 19)}</time>: {p.alertname}
              {p.summary ? `: ${p.summary}` : ''}
            </li>
          ))}
        </ul>
      )}
      <p>
        {view.acknowledged ? (
          `Acknowledged by ${view.acknowledged.actor} at ${view.acknowledged.at.slice(11, 19)}`
        ) : (
          <button type="button" onClick={() => command('Acknowledge', 'ack')}>
            Acknowledge the page
          </button>
        )}
      </p>

      {!incident && (
        <form onSubmit={(e) => command('Declare', 'declare', formFields(e))} aria-labelledby="declare-heading">
          <h3 id="declare-heading">Declare the incident</h3>
          <label for="declare-title">Title (what customers feel)</label>
          <input id="declare-title" name="title" required maxLength={200} />
          <label for="declare-severity">Severity</label>
          <select id="declare-severity" name="severity" defaultValue="P2">
            {severityOptions}
          </select>
          <button type="submit">Declare</button>
        </form>
      )}

      {incident && (
        <>
          <form onSubmit={(e) => command('Severity', 'severity', formFields(e))} aria-labelledby="severity-heading">
            <h3 id="severity-heading">Severity: {incident.severity}</h3>
            <label for="severity-new">New severity</label>
            <select id="severity-new" name="severity" defaultValue={incident.severity}>
              {severityOptions}
            </select>
            <label for="severity-reason">Why</label>
            <input id="severity-reason" name="reason" required maxLength={500} />
            <button type="submit">Change the severity</button>
          </form>

          <form onSubmit={(e) => command('Role', 'role', formFields(e))} aria-labelledby="roles-heading">
            <h3 id="roles-heading">Roles</h3>
            <ul>
              {vocabulary.roles.map((role) => (
                <li key={role}>
                  {role}: {incident.roles[role] ?? 'nobody yet'}
                </li>
              ))}
            </ul>
            <label for="role-name">Role</label>
            <select id="role-name" name="role">
              {vocabulary.roles.map((role) => (
                <option key={role}>{role}</option>
              ))}
            </select>
            <label for="role-trainee">Trainee</label>
            {/* Trainees cannot list trainees: the picker offers the names the run and the incident show, and takes any valid name. */}
            <input
              id="role-trainee"
              name="trainee"
              required
              pattern={traineeNamePattern}
              list="role-trainee-names"
              autocomplete="off"
              aria-describedby="role-trainee-hint"
            />
            <datalist id="role-trainee-names">
              {teamNames(props.events, view).map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
            <span id="role-trainee-hint" class="cost">
              {' '}
              A teammate's name: letters, digits, dot, dash or underscore.
            </span>
            <button type="submit">Give the role</button>
          </form>

          {incident.updates.length > 0 && (
            <ol aria-label="Updates posted">
              {incident.updates.map((u) => (
                <li key={u.at}>
                  <time dateTime={u.at}>{u.at.slice(11, 19)}</time> {u.kind} by {u.actor}: {u.text}
                </li>
              ))}
            </ol>
          )}
          <UpdateForm
            vocabulary={vocabulary}
            lastUpdate={incident.updates.at(-1) ?? null}
            onPost={(body) => command(`Update (${body.kind})`, 'update', body)}
          />

          <form onSubmit={(e) => command('Note', 'note', formFields(e))} aria-labelledby="note-heading">
            <h3 id="note-heading">Notes ({incident.notes.length})</h3>
            <label for="note-text">Note for the timeline</label>
            <textarea id="note-text" name="text" rows={2} required />
            <button type="submit">Add the note</button>
          </form>

          <h3>Mitigate and resolve</h3>
          <p>
            {incident.mitigated ? (
              `Mitigated at ${incident.mitigated.at.slice(11, 19)} by ${incident.mitigated.actor}`
            ) : (
              <button type="button" onClick={() => command('Mitigated', 'mitigated')}>
                Mark mitigated (customers no longer hurt)
              </button>
            )}
          </p>
          {incident.resolved ? (
            <p class="status status-ok">
              Resolved at {incident.resolved.at.slice(11, 19)}
              {incident.resolved.category ? ` (${incident.resolved.category})` : ''}
            </p>
          ) : (
            <form onSubmit={(e) => command('Resolve', 'resolve', formFields(e))} aria-label="Resolve the incident">
              <label for="resolve-category">Root-cause category</label>
              <select id="resolve-category" name="category">
                {vocabulary.causeCategories.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
              <label for="resolve-summary">What happened and what fixed it</label>
              <input id="resolve-summary" name="summary" maxLength={2000} />
              <button type="submit">Resolve</button>
            </form>
          )}
        </>
      )}
    </section>
  );
}
