import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { useAlertPage } from './alert-page.ts';
import { HintsPanel } from './hints-panel.tsx';
import { IncidentPanel } from './incident-panel.tsx';
import { LeversPanel } from './levers-panel.tsx';
import { PirPanel } from './pir-panel.tsx';
import { ReportPanel } from './report-panel.tsx';
import { RunbooksPanel } from './runbooks-panel.tsx';
import { useRunStream } from './run-events.ts';
import { shellLine } from './shell-line.ts';
import { TerminalPanel } from './terminal-panel.tsx';
import { SignalsPanel } from './signals-panel.tsx';
import { teamNames } from './team-names.ts';
import { runsOfTeam } from './team-scope.ts';

interface Run {
  id: string;
  team: string | null;
  title: string | null;
  state: string;
  briefing: string | null;
}

// The run states that end a run (runs-contract: warming and live are the others).
const endedStates = ['resolved', 'timed_out', 'stopped', 'refused', 'failed'];

/**
 * The trainee's page: the briefing, the alerts (paging), the golden signals with saturation, the
 * queue and payments, the SLOs' error budgets, the incident panel, hints, levers, the runbooks,
 * the PIR once the run has ended, what happened, and the report once the debrief is held. Everything it shows
 * comes from the training API as this trainee (the console forwards the trainee's own token).
 * `team`: the operator's pick in a class (operator-view.tsx), whose shop the page then shows, every
 * request naming it; the operator has no shell of its own, writes no PIR and runs no runbook step
 * (each is recorded on the caller's own team's timeline), so those are left out.
 */
export function TraineeView(props: { team?: string | null }) {
  const team = props.team ?? null;
  const [run, setRun] = useState<Run | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    api<{ runs: Run[] }>('GET', '/api/runs').then(
      ({ runs: all }) => {
        const runs = runsOfTeam(all, team);
        setRun(runs.find((r) => !endedStates.includes(r.state)) ?? runs[0] ?? null);
      },
      (err: Error) => setMessage(err.message),
    );
  }, []);
  const { events, status } = useRunStream(run?.id ?? null);
  const firing = status?.firingAlerts ?? [];
  useAlertPage(firing);
  // Panels re-read their state whenever the journal moves.
  const version = events.length;
  const state = status?.state ?? run?.state ?? '';
  return (
    <div class="trainee">
      <section aria-labelledby="briefing">
        <h2 id="briefing">Briefing{run?.title ? `: ${run.title}` : ''}</h2>
        <p>{run ? (run.briefing ?? 'No briefing for this run.') : team ? `No run for team ${team} yet.` : 'No run for your team yet.'}</p>
        {run && (
          <p class="status status-idle">
            Run {run.id}: {state}
            {status?.phase ? `, phase ${status.phase}` : ''}
          </p>
        )}
      </section>
      <section aria-labelledby="alerts" aria-live="assertive">
        <h2 id="alerts">Alerts firing ({firing.length})</h2>
        {firing.length === 0 ? (
          <p class="status status-ok">OK: no alert firing</p>
        ) : (
          <ul>
            {firing.map((name) => (
              <li key={name} class="status status-bad">
                FIRING: {name}
              </li>
            ))}
          </ul>
        )}
      </section>
      <p role="status" class="message">
        {message}
      </p>
      <SignalsPanel group="golden-signals" heading="Golden signals by service" headingId="golden-signals" team={team} />
      <SignalsPanel group="saturation" heading="Saturation by service" headingId="saturation" team={team} />
      <SignalsPanel group="shop" heading="Queue and payments" headingId="shop-signals" team={team} />
      <SignalsPanel group="slos" heading="SLOs: error budgets" headingId="slo-budgets" team={team} />
      <IncidentPanel version={version} events={events} report={setMessage} team={team} />
      <HintsPanel version={version} report={setMessage} team={team} />
      <LeversPanel report={setMessage} team={team} />
      <RunbooksPanel report={setMessage} team={team} />
      {team === null && <TerminalPanel />}
      {run && team === null && <PirPanel runId={run.id} ended={endedStates.includes(state)} names={teamNames(events, null)} report={setMessage} />}
      {run && <ReportPanel runId={run.id} ended={endedStates.includes(state)} version={version} />}
      <section aria-labelledby="timeline">
        <h2 id="timeline">What happened</h2>
        <ol>
          {events.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{e.at.slice(11, 19)}</time> {e.kind} ({e.actor}){shellLine(e)}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
