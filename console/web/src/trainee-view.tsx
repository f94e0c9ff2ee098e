import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { PanelChart } from './p95-chart.tsx';
import { useRunStream } from './run-events.ts';

interface Run {
  id: string;
  title: string | null;
  state: string;
  briefing: string | null;
}

/** The trainee's page: briefing, alerts firing, the incident's first actions, a lever with a confirm, the p95 chart. */
export function TraineeView() {
  const [run, setRun] = useState<Run | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    api<{ runs: Run[] }>('GET', '/api/runs').then(
      ({ runs }) => setRun(runs.find((r) => !['finished', 'stopped', 'failed'].includes(r.state)) ?? runs[0] ?? null),
      (err: Error) => setMessage(err.message),
    );
  }, []);
  const { events, status } = useRunStream(run?.id ?? null);
  const act = (label: string, method: string, path: string, body?: unknown) =>
    api(method, path, body).then(
      () => setMessage(`${label}: done`),
      (err: Error) => setMessage(`${label}: ${err.message}`),
    );
  const declare = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    act('Declare', 'POST', '/api/incident/declare', { title: form.get('title'), severity: form.get('severity') });
  };
  const restartApi = () => {
    // The confirmation says what the lever does before it is pulled.
    if (confirm('Restart the api: its process is stopped and started again; requests in flight fail. Go ahead?'))
      act('Restart api', 'POST', '/api/levers', { lever: 'restart api' });
  };
  const alerts = status?.alerts ?? [];
  return (
    <div>
      <section aria-labelledby="briefing">
        <h2 id="briefing">Briefing{run?.title ? `: ${run.title}` : ''}</h2>
        <p>{run ? (run.briefing ?? 'No briefing for this run.') : 'No run for your team yet.'}</p>
        {run && <p>Run state: {String(status?.state ?? run.state)}</p>}
      </section>
      <section aria-labelledby="alerts" aria-live="polite">
        <h2 id="alerts">Alerts firing ({alerts.length})</h2>
        <ul>
          {alerts.map((a) => (
            <li key={a.alertname ?? a.name}>FIRING: {a.alertname ?? a.name}</li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="incident">
        <h2 id="incident">Incident</h2>
        <form onSubmit={declare}>
          <label for="incident-title">Title</label>
          <input id="incident-title" name="title" required maxLength={120} />
          <label for="incident-severity">Severity</label>
          <select id="incident-severity" name="severity">
            {['P1', 'P2', 'P3', 'P4'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
          <button type="submit">Declare</button>
        </form>
        <button type="button" onClick={() => act('Acknowledge', 'POST', '/api/incident/ack')}>
          Acknowledge the page
        </button>
        <button type="button" onClick={() => act('Update', 'POST', '/api/incident/update', { kind: 'update', text: 'Investigating' })}>
          Post "Investigating"
        </button>
      </section>
      <section aria-labelledby="levers">
        <h2 id="levers">Levers</h2>
        <button type="button" onClick={restartApi}>
          Restart api…
        </button>
      </section>
      {message && <p role="status">{message}</p>}
      <PanelChart id="p95-latency" />
      <section aria-labelledby="timeline">
        <h2 id="timeline">What happened</h2>
        <ol>
          {events.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{e.at.slice(11, 19)}</time> {e.kind} ({e.actor})
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
