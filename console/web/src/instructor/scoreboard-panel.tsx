import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { Scoreboard } from './instructor-types.ts';

const reportHref = (runId: string) => `/api/runs/${encodeURIComponent(runId)}/report?format=html`;

/** GET /api/scoreboard, read again whenever `version` moves (a run ended or was debriefed) and every 15 s. */
export function ScoreboardPanel(props: { version: number; onDebriefed: (runIds: string[]) => void }) {
  const [board, setBoard] = useState<Scoreboard | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const read = () =>
      api<Scoreboard>('GET', '/api/scoreboard').then(
        (b) => {
          setBoard(b);
          setError('');
          props.onDebriefed(b.teams.flatMap((t) => t.runs.filter((r) => r.debriefed).map((r) => r.runId)));
        },
        (err: Error) => setError(err.message),
      );
    read();
    // Also every 15 s: a PIR submitted after the debrief changes a score without ending a run.
    const timer = setInterval(read, 15_000);
    return () => clearInterval(timer);
  }, [props.version]);
  return (
    <section aria-labelledby="scoreboard-heading" class="panel">
      <h2 id="scoreboard-heading">Scoreboard</h2>
      {error && <p role="alert">The scoreboard could not be read: {error}</p>}
      {board && board.teams.length === 0 && <p>No run has ended yet.</p>}
      {board && board.teams.length > 0 && (
        <table class="scoreboard">
          <caption>Teams, best first</caption>
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Best</th>
              <th scope="col">Runs (score or why none yet)</th>
            </tr>
          </thead>
          <tbody>
            {board.teams.map((t) => (
              <tr key={t.team ?? '(no team)'}>
                <th scope="row">{t.team ?? '(no team)'}</th>
                <td>{t.best ?? '–'}</td>
                <td>
                  <ul>
                    {t.runs.map((r) => (
                      <li key={r.runId}>
                        {r.scenario ?? r.runId} ({r.state}): {r.score !== null ? `score ${r.score}` : (r.pending ?? 'no score yet')}
                        {r.debriefed ? ', debriefed' : ''}{' '}
                        <a href={reportHref(r.runId)} target="_blank" rel="noreferrer">
                          Report of {r.runId}
                        </a>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
