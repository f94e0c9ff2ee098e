import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ConfirmButton } from '../confirm-button.tsx';
import type { RunStatus } from '../run-events.ts';
import type { Run, Team } from './instructor-types.ts';
import { RunActions } from './run-actions.tsx';
import { goingRuns, pausableRuns, teamRows } from './run-rows.ts';
import { RunWatcher } from './run-watcher.tsx';
import { runScope } from '../team-scope.ts';

/** Status text and its colour class: the colour repeats what the text says. */
function stateClass(state: string | null, paused: boolean): string {
  if (paused) return 'status status-warn';
  if (state === 'live' || state === 'warming') return 'status status-bad';
  if (state === 'resolved') return 'status status-ok';
  return 'status status-idle';
}

/**
 * Every team's run, live: a row per team with its latest run's scenario, state (PAUSED when
 * paused), phase, time against the timebox, firing alerts and incident, kept current by a
 * RunWatcher (event stream) per going run; per-run controls, and "Pause all" / "Stop all".
 */
export function RunsPanel(props: {
  teams: Team[];
  /** The class's teams (empty for a single shop): each run's incident is read for its team. */
  classTeams: readonly string[];
  runs: Run[];
  statuses: Record<string, RunStatus>;
  debriefed: ReadonlySet<string>;
  onStatus: (status: RunStatus) => void;
  onChanged: () => void;
  onSelect: (runId: string) => void;
}) {
  const [incidents, setIncidents] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const rows = teamRows(props.teams, props.runs, props.statuses);
  const going = goingRuns(props.runs, props.statuses);
  const pausable = pausableRuns(props.runs, props.statuses);
  const changed = (text: string) => {
    setMessage(text);
    props.onChanged();
  };
  /** The same request to each of `targets`, one after the other; says how many it reached. */
  const everyRun = async (targets: Run[], verb: 'pause' | 'stop', done: string) => {
    const failures: string[] = [];
    for (const run of targets) {
      try {
        const answer = await api<RunStatus>('POST', `/api/runs/${encodeURIComponent(run.id)}/${verb}`);
        if (answer && typeof answer === 'object' && 'phase' in answer) props.onStatus(answer);
      } catch (err) {
        failures.push(`${run.id}: ${(err as Error).message}`);
      }
    }
    changed(`${done} ${targets.length - failures.length} of ${targets.length} runs.${failures.length ? ` Not: ${failures.join('; ')}` : ''}`);
  };
  return (
    <section aria-labelledby="runs-heading" class="panel">
      <h2 id="runs-heading">Runs</h2>
      {going.map((run) => (
        <RunWatcher
          key={run.id}
          runId={run.id}
          team={runScope(props.classTeams, run)}
          onStatus={props.onStatus}
          onIncident={(id, text) => setIncidents((all) => ({ ...all, [id]: text }))}
        />
      ))}
      <p class="run-actions">
        <button type="button" disabled={pausable.length === 0} onClick={() => everyRun(pausable, 'pause', 'Paused')}>
          Pause all
        </button>
        <ConfirmButton
          label="Stop all"
          name="Stop all"
          disabled={going.length === 0}
          what={`Stop every going run (${going.length})? Their faults are cleared and their load stops; they cannot be resumed.`}
          confirmLabel="Stop every run"
          onConfirm={() => everyRun(going, 'stop', 'Stopped')}
        />
      </p>
      {message && <p role="status">{message}</p>}
      <table class="runs">
        <caption>Each team's latest run</caption>
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col">Scenario</th>
            <th scope="col">State</th>
            <th scope="col">Phase</th>
            <th scope="col">Time / timebox</th>
            <th scope="col">Alerts firing</th>
            <th scope="col">Incident</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.team ?? '(no team)'} data-team={row.team ?? ''}>
              <th scope="row">{row.team ?? '(no team)'}</th>
              {row.run ? (
                <>
                  <td>
                    {row.run.title ?? row.run.scenario} <span class="run-id">({row.run.id})</span>
                  </td>
                  <td>
                    <span class={stateClass(row.state, row.paused)}>{row.paused ? `PAUSED (${row.state})` : (row.state ?? '')}</span>
                  </td>
                  <td>{row.phase ?? '–'}</td>
                  <td>{row.clock ?? '–'}</td>
                  <td>
                    {row.firingAlerts.length > 0 ? (
                      <span class="status status-bad">FIRING: {row.firingAlerts.join(', ')}</span>
                    ) : (
                      <span class="status status-ok">none</span>
                    )}
                  </td>
                  <td>{incidents[row.run.id] ?? '–'}</td>
                  <td>
                    <RunActions
                      run={row.run}
                      state={row.state ?? row.run.state}
                      paused={row.paused}
                      debriefed={props.debriefed.has(row.run.id)}
                      onStatus={props.onStatus}
                      onChanged={changed}
                      onSelect={props.onSelect}
                    />
                  </td>
                </>
              ) : (
                <td colSpan={7}>No run yet</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
