import { useEffect, useState } from 'preact/hooks';
import { api, ApiProblem } from '../api.ts';
import { minutesAndSeconds } from '../figures.ts';
import type { Run, Scenario, Team } from './instructor-types.ts';
import { everyTeam, launchOutcome, launchPlan, type LaunchOutcome } from './launch-plan.ts';

/** Pick a scenario and a team (or every team); "Launch" starts a run per team and says how each went. */
export function LaunchPanel(props: { teams: Team[]; onLaunched: () => void }) {
  const [scenarios, setScenarios] = useState<Scenario[]>([]);
  const [scenarioId, setScenarioId] = useState('');
  const [choice, setChoice] = useState(everyTeam);
  const [outcomes, setOutcomes] = useState<LaunchOutcome[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<{ scenarios: Scenario[] }>('GET', '/api/scenarios').then(
      ({ scenarios }) => {
        setScenarios(scenarios);
        setScenarioId((id) => id || (scenarios[0]?.id ?? ''));
      },
      (err: Error) => setOutcomes([{ team: null, ok: false, text: `The scenarios could not be read: ${err.message}` }]),
    );
  }, []);
  const scenario = scenarios.find((s) => s.id === scenarioId);
  const launch = async (event: Event) => {
    event.preventDefault();
    if (!scenario) return;
    setBusy(true);
    const results: LaunchOutcome[] = [];
    // One team after the other: the lab answers each in turn (today it refuses all but the first).
    for (const team of launchPlan(choice, props.teams)) {
      try {
        const run = await api<Run>('POST', '/api/runs', { scenario: scenario.id, ...(team !== null && { team }) });
        results.push(launchOutcome(team, { runId: run.id }));
      } catch (err) {
        const problem = err instanceof ApiProblem ? err : new ApiProblem(0, 'error', (err as Error).message);
        results.push(launchOutcome(team, { status: problem.status, code: problem.code, detail: problem.message }));
      }
      setOutcomes([...results]);
    }
    setBusy(false);
    props.onLaunched();
  };
  return (
    <section aria-labelledby="launch-heading" class="panel">
      <h2 id="launch-heading">Launch a scenario</h2>
      <form onSubmit={launch}>
        <p>
          <label for="launch-scenario">Scenario</label>{' '}
          <select id="launch-scenario" value={scenarioId} onChange={(e) => setScenarioId(e.currentTarget.value)}>
            {scenarios.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>{' '}
          <label for="launch-team">for</label>{' '}
          <select id="launch-team" value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
            <option value={everyTeam}>every team</option>
            {props.teams.map((t) => (
              <option key={t.name} value={t.name}>
                team {t.name}
              </option>
            ))}
          </select>{' '}
          <button type="submit" disabled={!scenario || busy}>
            Launch
          </button>
        </p>
        {scenario && (
          <dl class="scenario-facts" aria-label="The chosen scenario">
            <div>
              <dt>Scenario</dt>
              <dd>{scenario.id}</dd>
            </div>
            <div>
              <dt>Curriculum</dt>
              <dd>{scenario.curriculum}</dd>
            </div>
            <div>
              <dt>Difficulty</dt>
              <dd>{scenario.difficulty}</dd>
            </div>
            <div>
              <dt>Timebox</dt>
              <dd>{minutesAndSeconds(Math.round(scenario.timeboxMs / 1000))}</dd>
            </div>
          </dl>
        )}
      </form>
      {outcomes.length > 0 && (
        <ul aria-live="polite" class="outcomes">
          {outcomes.map((o) => (
            <li key={`${o.team}`} class={o.ok ? 'status status-ok' : 'status status-bad'}>
              {o.text}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
