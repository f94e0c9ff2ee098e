import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { ConfirmButton } from './confirm-button.tsx';
import { secondsLeft } from './figures.ts';
import { withTeam } from './team-scope.ts';

interface Hints {
  runId: string;
  taken: Array<{ index: number; cost: number; text: string; at: string; actor: string }>;
  next: { index: number; cost: number; availableInSeconds: number } | null;
}

/** Hints: what the team took, and the next one, asked for deliberately (it costs points); `team`: whose (the operator's pick in a class). */
export function HintsPanel(props: { version: number; report: (message: string) => void; team?: string | null }) {
  const [hints, setHints] = useState<Hints | null>(null);
  const [answeredAt, setAnsweredAt] = useState(0);
  const [now, setNow] = useState(Date.now());
  const [reload, setReload] = useState(0);
  useEffect(() => {
    api<Hints>('GET', withTeam('/api/hints', props.team)).then(
      (answer) => {
        setHints(answer);
        setAnsweredAt(Date.now());
        setNow(Date.now());
      },
      () => setHints(null),
    );
  }, [props.version, reload, props.team]);
  const waiting = hints?.next ? secondsLeft(hints.next.availableInSeconds, answeredAt, now) : 0;
  // "Available in N s" counts down every second from the API's answer, without asking again.
  useEffect(() => {
    if (waiting <= 0) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waiting > 0]);
  const take = () =>
    api('POST', withTeam('/api/hints/next', props.team)).then(
      () => {
        props.report('Hint: taken');
        setReload((n) => n + 1);
      },
      (err: Error) => props.report(`Hint: ${err.message}`),
    );
  const next = hints?.next ?? null;
  return (
    <section aria-labelledby="hints">
      <h2 id="hints">Hints</h2>
      <ol>
        {(hints?.taken ?? []).map((h) => (
          <li key={h.index}>
            {h.text}{' '}
            <span class="cost">
              (cost {h.cost} points, asked by {h.actor})
            </span>
          </li>
        ))}
      </ol>
      {!hints && <p>No hints for a run yet.</p>}
      {hints && !next && <p>No more hints in this scenario.</p>}
      {next && (
        <p>
          <ConfirmButton
            label={`Ask for hint ${next.index + 1} (costs ${next.cost} points)`}
            what={`Hint ${next.index + 1} takes ${next.cost} points off your team's grade. Ask for it?`}
            confirmLabel={`Take the hint (−${next.cost} points)`}
            disabled={waiting > 0}
            onConfirm={take}
          />
          {waiting > 0 && <span class="status status-idle"> Available in {waiting} s</span>}
        </p>
      )}
    </section>
  );
}
