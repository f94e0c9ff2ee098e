import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { PanelChart } from '../panel-chart.tsx';
import type { RunEvent } from '../run-events.ts';
import { runAnnotations, runWindow, type Annotation } from './annotations.ts';
import { isEnded, type JournalEntry, type Run } from './instructor-types.ts';
import { runScope } from '../team-scope.ts';

/** A run's whole journal, page by page (the events route answers after an id). */
async function allEvents(runId: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  // A run has hundreds of events at most; the bound only guards against a route that never ends.
  for (let page = 0; page < 50; page++) {
    const after = events.at(-1)?.id ?? 0;
    const { events: more } = await api<{ events: RunEvent[] }>('GET', `/api/runs/${encodeURIComponent(runId)}/events?after=${after}`);
    if (more.length === 0) break;
    events.push(...more);
  }
  return events;
}

/**
 * Debrief mode, for the projector: an ended run's golden signals over the run's own span, with the
 * faults' and causes' times (and any curveball) drawn on them and listed beside them; the run's
 * report framed below once debriefed.
 */
export function DebriefPanel(props: { runs: Run[]; debriefed: ReadonlySet<string>; classTeams: readonly string[] }) {
  const ended = props.runs.filter((r) => isEnded(r.state));
  const [runId, setRunId] = useState('');
  const [charts, setCharts] = useState<string[]>([]);
  const [marks, setMarks] = useState<Annotation[] | null>(null);
  const [error, setError] = useState('');
  const run = ended.find((r) => r.id === runId) ?? null;
  const span = run ? runWindow(run, Date.now()) : null;
  useEffect(() => {
    api<{ charts: Array<{ id: string; group: string }> }>('GET', '/console/charts').then(
      ({ charts }) => setCharts(charts.filter((c) => c.group === 'golden-signals').map((c) => c.id)),
      (err: Error) => setError(err.message),
    );
  }, []);
  useEffect(() => {
    setMarks(null);
    if (!run || !span) return;
    Promise.all([allEvents(run.id), api<{ entries: JournalEntry[] }>('GET', '/chaos/api/journal?limit=5000').catch(() => ({ entries: [] }))]).then(
      ([events, journal]) => setMarks(runAnnotations(events, journal.entries, span)),
      (err: Error) => setError(err.message),
    );
  }, [run?.id]);
  const reportSrc = run ? `/api/runs/${encodeURIComponent(run.id)}/report?format=html` : '';
  return (
    <section aria-labelledby="debrief-heading" class="panel debrief">
      <h2 id="debrief-heading">Debrief</h2>
      {ended.length === 0 ? (
        <p>No run has ended yet.</p>
      ) : (
        <p>
          <label for="debrief-run">Run to debrief</label>{' '}
          <select id="debrief-run" value={runId} onChange={(e) => setRunId(e.currentTarget.value)}>
            <option value="">choose a run</option>
            {ended.map((r) => (
              <option key={r.id} value={r.id}>
                {r.id}: {r.title ?? r.scenario} {r.team ? `(team ${r.team})` : ''} {r.state}
              </option>
            ))}
          </select>
        </p>
      )}
      {error && <p role="alert">{error}</p>}
      {run && span && (
        <>
          <p>
            The charts span the run, a minute either side. Dashed numbered lines mark when faults and causes began and ended; the list under each chart says
            what each number is.
          </p>
          {marks === null ? (
            <p>Reading the run's events…</p>
          ) : (
            <div class="charts">
              {charts.map((id) => (
                <PanelChart key={`${run.id}-${id}`} id={id} window={span} annotations={marks} team={runScope(props.classTeams, run)} />
              ))}
            </div>
          )}
          {props.debriefed.has(run.id) ? (
            <>
              <iframe class="report" title={`Report of run ${run.id}`} src={reportSrc} />
              <p>
                <a href={reportSrc} target="_blank" rel="noreferrer">
                  Open the report on its own page
                </a>
              </p>
            </>
          ) : (
            <p>Not debriefed yet: its "Debrief" button in the Runs table opens the grade and the report to the team.</p>
          )}
        </>
      )}
    </section>
  );
}
