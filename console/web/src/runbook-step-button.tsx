import { api } from './api.ts';
import { ConfirmButton } from './confirm-button.tsx';
import type { RunbookStep } from './runbook-types.ts';

/**
 * Runs one lever step of an executable runbook from the page, as `lab runbook run` would: the step
 * is recorded as started on the team's timeline (POST /api/runbooks/steps), the lever is pulled
 * (POST /api/levers), and the step is recorded as passed or failed. Its `verify` check is the
 * CLI's to run (a probe or a shell command); the confirmation says so.
 */
export function RunbookStepButton(props: { runbook: string; step: RunbookStep; report: (message: string) => void }) {
  const { runbook, step } = props;
  const record = (status: 'started' | 'passed' | 'failed', output = '') => api('POST', '/api/runbooks/steps', { runbook, step: step.name, status, output });
  const run = async () => {
    try {
      await record('started');
      const outcome = await api<{ summary?: string }>('POST', '/api/levers', { lever: step.text });
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
          This pulls the lever <code>{step.text}</code> on the shop now, as your team, and records the step on your timeline.
          {step.verify && <> Its check ({step.verify}) is not run from here: watch the charts, or run the runbook with the CLI.</>}
        </>
      }
      confirmLabel={`Pull ${step.text}`}
      onConfirm={() => void run()}
    />
  );
}
