import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { IncidentView } from '../incident-types.ts';
import { LeversPanel } from '../levers-panel.tsx';
import { SignalsPanel } from '../signals-panel.tsx';
import { TeamPicker } from '../team-picker.tsx';
import { withTeam } from '../team-scope.ts';
import { incidentText } from './run-rows.ts';

/**
 * In a class only: the instructor picks a team and sees that team's shop as its trainees do — its
 * golden signals, its incident — and pulls its levers (flags included). Every request names the
 * team picked (team-scope.ts); the other panels already show every team's runs side by side.
 */
export function TeamPanel(props: { classTeams: readonly string[]; team: string; onPick: (team: string) => void }) {
  const [incident, setIncident] = useState('');
  const [message, setMessage] = useState('');
  useEffect(() => {
    setIncident('');
    api<IncidentView>('GET', withTeam('/api/incident/status', props.team)).then(
      (view) => setIncident(`run ${view.runId} (${view.runState}): ${incidentText(view)}`),
      (err: Error) => setIncident(err.message),
    );
  }, [props.team]);
  return (
    <section aria-labelledby="team-heading" class="panel team-shop">
      <h2 id="team-heading">Team {props.team}'s shop</h2>
      <TeamPicker id="team-pick" classTeams={props.classTeams} team={props.team} onPick={props.onPick} />
      <p class="status">Incident: {incident || 'reading…'}</p>
      <p role="status" class="message">
        {message}
      </p>
      <SignalsPanel group="golden-signals" heading={`Golden signals of team ${props.team}`} headingId="team-golden-signals" team={props.team} />
      <LeversPanel key={props.team} report={setMessage} team={props.team} />
    </section>
  );
}
