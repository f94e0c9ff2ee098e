import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { ClassPanel } from './instructor/class-panel.tsx';
import { CurveballPanel } from './instructor/curveball-panel.tsx';
import { DebriefPanel } from './instructor/debrief-panel.tsx';
import { isEnded, type Run, type Team } from './instructor/instructor-types.ts';
import { LaunchPanel } from './instructor/launch-panel.tsx';
import { RunsPanel } from './instructor/runs-panel.tsx';
import { ScoreboardPanel } from './instructor/scoreboard-panel.tsx';
import { TeamPanel } from './instructor/team-panel.tsx';
import { TimelinePanel } from './instructor/timeline-panel.tsx';
import { pickedTeam } from './team-scope.ts';
import type { RunStatus } from './run-events.ts';

/**
 * The instructor's page: the class, launching runs, every team's run live with its controls, the
 * selected run's timeline, curveballs and halt, the scoreboard, and the debrief. It holds what the
 * panels share (teams, runs, the streams' statuses) and re-reads runs and the scoreboard when a run
 * ends or is debriefed. In a class (the console's chart list names its teams) a picker shows one
 * team's shop (charts, incident, levers); a single lab has no picker.
 */
export function InstructorView() {
  const [teams, setTeams] = useState<Team[]>([]);
  const [runs, setRuns] = useState<Run[]>([]);
  const [statuses, setStatuses] = useState<Record<string, RunStatus>>({});
  const [selected, setSelected] = useState<string | null>(null);
  const [scoreboardVersion, setScoreboardVersion] = useState(0);
  const [debriefed, setDebriefed] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState('');
  const [classTeams, setClassTeams] = useState<readonly string[]>([]);
  const [picked, setPicked] = useState<string | null>(null);
  const team = pickedTeam(classTeams, picked);
  const readTeams = () =>
    api<{ teams: Team[] }>('GET', '/api/teams').then(
      ({ teams }) => setTeams(teams),
      (err: Error) => setError(`The teams could not be read: ${err.message}`),
    );
  const readRuns = () =>
    api<{ runs: Run[] }>('GET', '/api/runs').then(
      ({ runs }) => {
        setRuns(runs);
        setSelected((s) => s ?? runs[0]?.id ?? null);
      },
      (err: Error) => setError(`The runs could not be read: ${err.message}`),
    );
  useEffect(() => {
    readTeams();
    readRuns();
    api<{ teams?: string[] }>('GET', '/console/charts').then(
      ({ teams }) => setClassTeams(teams ?? []),
      (err: Error) => setError(`The class's teams could not be read: ${err.message}`),
    );
  }, []);
  const changed = () => {
    readRuns();
    setScoreboardVersion((v) => v + 1);
  };
  const onStatus = (status: RunStatus) => {
    const justEnded = isEnded(status.state) && !isEnded(statuses[status.id]?.state ?? '');
    setStatuses((all) => ({ ...all, [status.id]: status }));
    // A run that just ended: the runs list, the scoreboard and the debrief's choices move on.
    if (justEnded) changed();
  };
  return (
    <main class="instructor">
      {error && <p role="alert">{error}</p>}
      <div class="columns">
        <ClassPanel teams={teams} onTeamsChanged={readTeams} />
        <LaunchPanel teams={teams} onLaunched={changed} />
      </div>
      <RunsPanel
        teams={teams}
        classTeams={classTeams}
        runs={runs}
        statuses={statuses}
        debriefed={debriefed}
        onStatus={onStatus}
        onChanged={changed}
        onSelect={setSelected}
      />
      <div class="columns">
        <TimelinePanel runId={selected} />
        <CurveballPanel classTeams={classTeams} />
      </div>
      <ScoreboardPanel version={scoreboardVersion} onDebriefed={(ids) => setDebriefed(new Set(ids))} />
      {team !== null && <TeamPanel classTeams={classTeams} team={team} onPick={setPicked} />}
      <DebriefPanel runs={runs} debriefed={debriefed} classTeams={classTeams} />
    </main>
  );
}
