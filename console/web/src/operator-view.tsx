import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { TeamPicker } from './team-picker.tsx';
import { pickedTeam } from './team-scope.ts';
import { TraineeView } from './trainee-view.tsx';

/**
 * The operator's page: what the trainees see and do (their page: run, alerts, charts, incident,
 * hints, levers), on the operator's token. A single lab has one shop and the page is the trainees'
 * as it always was. In a class every shop is a team's and the operator has no team of its own, so
 * it picks one (the console's chart list names the class's teams) and the page is that team's:
 * its run, its charts (through its team's way to Prometheus), its incident, hints and levers,
 * every request naming the team picked (team-scope.ts).
 */
export function OperatorView() {
  const [classTeams, setClassTeams] = useState<readonly string[] | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<{ teams?: string[] }>('GET', '/console/charts').then(
      ({ teams }) => setClassTeams(teams ?? []),
      (err: Error) => {
        setError(`The class's teams could not be read: ${err.message}`);
        setClassTeams([]);
      },
    );
  }, []);
  if (classTeams === null) return <p>Loading the console…</p>;
  const team = pickedTeam(classTeams, picked);
  return (
    <>
      {error && <p role="alert">{error}</p>}
      {team !== null && (
        <section aria-labelledby="operator-team-heading" class="panel team-shop">
          <h2 id="operator-team-heading">Team {team}'s shop</h2>
          <TeamPicker id="operator-team-pick" classTeams={classTeams} team={team} onPick={setPicked} />
        </section>
      )}
      {/* Keyed by team: a new pick starts the page afresh (its run, its stream, its panels' state). */}
      <TraineeView key={team ?? ''} team={team} />
    </>
  );
}
