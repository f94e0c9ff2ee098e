import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ConfirmButton } from '../confirm-button.tsx';
import { formFields } from '../incident-types.ts';
import type { Team, Trainee } from './instructor-types.ts';

/** A new trainee's token: shown once (the training API keeps only its hash), with a copy button. */
function NewToken(props: { trainee: string; team: string; token: string; onDone: () => void }) {
  const [copied, setCopied] = useState('');
  const copy = () =>
    navigator.clipboard?.writeText(props.token).then(
      () => setCopied('Copied.'),
      () => setCopied('The browser did not allow copying: select the token and copy it by hand.'),
    ) ?? setCopied('The browser did not allow copying: select the token and copy it by hand.');
  return (
    <div class="new-token" role="status">
      <p>
        <strong>
          Token of {props.trainee} (team {props.team}): hand this to the trainee; it is not shown again.
        </strong>
      </p>
      <p>
        <label for="new-token">Token</label> <input id="new-token" class="token" readOnly value={props.token} onFocus={(e) => e.currentTarget.select()} />{' '}
        <button type="button" onClick={copy}>
          Copy the token
        </button>{' '}
        <button type="button" onClick={props.onDone}>
          Done, hide it
        </button>
      </p>
      {copied && <p>{copied}</p>}
    </div>
  );
}

/** The class: teams and their trainees; add a team, add a trainee (token shown once), remove a trainee. */
export function ClassPanel(props: { teams: Team[]; onTeamsChanged: () => void }) {
  const [trainees, setTrainees] = useState<Trainee[]>([]);
  const [message, setMessage] = useState('');
  const [token, setToken] = useState<{ trainee: string; team: string; token: string } | null>(null);
  const refresh = () =>
    api<{ trainees: Trainee[] }>('GET', '/api/trainees').then(
      ({ trainees }) => setTrainees(trainees),
      (err: Error) => setMessage(err.message),
    );
  useEffect(() => {
    refresh();
  }, []);
  const addTeam = (event: Event) => {
    const { name } = formFields(event);
    if (!name) return setMessage('Name the team');
    api('POST', '/api/teams', { name }).then(
      () => {
        setMessage(`Team ${name} added.`);
        (event.target as HTMLFormElement).reset();
        props.onTeamsChanged();
      },
      (err: Error) => setMessage(`Team ${name} not added: ${err.message}`),
    );
  };
  const addTrainee = (event: Event) => {
    const { name, team } = formFields(event);
    if (!name || !team) return setMessage('Name the trainee and choose a team');
    api<{ name: string; team: string; token: string }>('POST', '/api/trainees', { name, team }).then(
      (added) => {
        setToken({ trainee: added.name, team: added.team, token: added.token });
        setMessage('');
        (event.target as HTMLFormElement).reset();
        refresh();
        props.onTeamsChanged();
      },
      (err: Error) => setMessage(`Trainee ${name} not added: ${err.message}`),
    );
  };
  const remove = (name: string) =>
    api('DELETE', `/api/trainees/${encodeURIComponent(name)}`).then(
      () => {
        setMessage(`Trainee ${name} removed: their token no longer works.`);
        refresh();
        props.onTeamsChanged();
      },
      (err: Error) => setMessage(`Trainee ${name} not removed: ${err.message}`),
    );
  return (
    <section aria-labelledby="class-heading" class="panel">
      <h2 id="class-heading">Class</h2>
      {message && <p role="status">{message}</p>}
      {token && <NewToken {...token} onDone={() => setToken(null)} />}
      {props.teams.length === 0 ? (
        <p>No team yet: add one below.</p>
      ) : (
        <ul class="teams">
          {props.teams.map((team) => {
            const members = trainees.filter((t) => t.team === team.name);
            return (
              <li key={team.name}>
                <h3>Team {team.name}</h3>
                {members.length === 0 ? (
                  <p>No trainee yet.</p>
                ) : (
                  <ul>
                    {members.map((t) => (
                      <li key={t.name}>
                        {t.name}{' '}
                        <ConfirmButton
                          label={`Remove ${t.name}`}
                          name={`Remove ${t.name}`}
                          what={`Remove trainee ${t.name} from team ${team.name}? Their token stops working at once; what they did stays on the record.`}
                          confirmLabel={`Remove ${t.name}`}
                          onConfirm={() => remove(t.name)}
                        />
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <form onSubmit={addTeam} class="inline-form">
        <label for="team-name">New team's name</label> <input id="team-name" name="name" required aria-describedby="name-rule" />{' '}
        <button type="submit">Add the team</button>
      </form>
      <form onSubmit={addTrainee} class="inline-form">
        <label for="trainee-name">New trainee's name</label> <input id="trainee-name" name="name" required aria-describedby="name-rule" />{' '}
        <label for="trainee-team">in team</label>{' '}
        <select id="trainee-team" name="team" required>
          {props.teams.map((t) => (
            <option key={t.name} value={t.name}>
              {t.name}
            </option>
          ))}
        </select>{' '}
        <button type="submit" disabled={props.teams.length === 0}>
          Add the trainee
        </button>
      </form>
      <p id="name-rule" class="hint">
        Names: 1 to 32 lower-case letters, digits or dashes, starting with a letter or digit.
      </p>
    </section>
  );
}
