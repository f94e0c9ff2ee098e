import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { PanelChart } from './panel-chart.tsx';
import { useRunStream } from './run-events.ts';

interface Run {
  id: string;
  scenario: string | null;
  state: string;
  team: string | null;
  createdAt: string;
}

/** The instructor's page: runs, start and stop a scenario, the selected run's timeline, the p95 chart. */
export function InstructorView() {
  const [runs, setRuns] = useState<Run[]>([]);
  const [scenarios, setScenarios] = useState<Array<{ id: string; title?: string }>>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const refresh = () =>
    api<{ runs: Run[] }>('GET', '/api/runs').then(
      ({ runs }) => setRuns(runs),
      (err: Error) => setMessage(err.message),
    );
  useEffect(() => {
    refresh();
    api<{ scenarios: Array<{ id: string; title?: string }> }>('GET', '/api/scenarios').then(
      ({ scenarios }) => setScenarios(scenarios),
      () => {},
    );
  }, []);
  const { events } = useRunStream(selected);
  const start = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    api<Run>('POST', '/api/runs', { scenario: form.get('scenario') }).then(
      (run) => {
        setSelected(run.id);
        refresh();
      },
      (err: Error) => setMessage(err.message),
    );
  };
  const stop = (id: string) => api('POST', `/api/runs/${id}/stop`).then(refresh, (err: Error) => setMessage(err.message));
  return (
    <div>
      <form onSubmit={start}>
        <label for="scenario">Scenario</label>
        <select id="scenario" name="scenario">
          {scenarios.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title ?? s.id}
            </option>
          ))}
        </select>
        <button type="submit">Start the run</button>
      </form>
      {message && <p role="status">{message}</p>}
      <table>
        <caption>Runs</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Scenario</th>
            <th scope="col">Team</th>
            <th scope="col">State</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>{r.id}</td>
              <td>{r.scenario}</td>
              <td>{r.team ?? 'any'}</td>
              <td>{r.state}</td>
              <td>
                <button type="button" onClick={() => setSelected(r.id)}>
                  Timeline
                </button>
                <button type="button" onClick={() => confirm(`Stop ${r.id}? Its faults are cleared and its load stops.`) && stop(r.id)}>
                  Stop
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {selected && (
        <section aria-labelledby="timeline">
          <h2 id="timeline">Timeline of {selected}</h2>
          <ol>
            {events.map((e) => (
              <li key={e.id}>
                <time dateTime={e.at}>{e.at.slice(11, 19)}</time> {e.kind} ({e.actor})
              </li>
            ))}
          </ol>
        </section>
      )}
      <PanelChart id="p95-latency" />
    </div>
  );
}
