import { api } from './api.ts';
import { ConfirmButton } from './confirm-button.tsx';
import type { RunbookStep } from './runbook-types.ts';
import { leverBody, withTeamBody } from './team-scope.ts';

/**
 * Runs one lever step of an executable runbook from the page, as `lab runbook run` would: the step
 * is recorded as started on the team's timeline (POST /api/runbooks/steps), the lever is pulled
 * (POST /api/levers), and the step is recorded as passed or failed. Its `verify` check is the
 * CLI's to run (a probe or a shell command); the confirmation says so. `team`: the operator's pick
 * in a class — both the lever and the step records name it; a trainee's are its own team's.
 */
export function RunbookStepButton(props: { runbook: string; step: RunbookStep; team: string | null; report: (message: string) => void }) {
  const { runbook, step, team } = props;
  const record = (status: 'started' | 'passed' | 'failed', output = '') =>
    api('POST', '/api/runbooks/steps', withTeamBody({ runbook, step: step.name, status, output }, team));
  const run = async () => {
    try {
      await record('started');
      const outcome = await api<{ summary?: string }>('POST', '/api/levers', leverBody(step.text, team));
      await record('passed', outcome?.summary ?? '');
      props.report(`Runbook ${runbook}, step "${step.name}": ${outcome?.summary ?? 'done'}`);
    } catch (err) {
      const message = (err as Error).message;
      await record('failed', message).catch(() => undefined);
      props.report(`Runbook ${runbook}, step "${step.name}": ${message}`);
    }
  };
  return (
    <ConfirmButton
      label={`Run the step "${step.name}"`}
      what={
        <>
          {team ? (
            <>
              This pulls the lever <code>{step.text}</code> on team {team}'s shop now, and records the step on team {team}'s timeline.
            </>
          ) : (
            <>
              This pulls the lever <code>{step.text}</code> on the shop now, as your team, and records the step on your timeline.
            </>
          )}
          {step.verify && <> Its check ({step.verify}) is not run from here: watch the charts, or run the runbook with the CLI.</>}
        </>
      }
      confirmLabel={`Pull ${step.text}`}
      onConfirm={() => void run()}
    />
  );
}
