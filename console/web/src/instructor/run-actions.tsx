import { api } from '../api.ts';
import { ConfirmButton } from '../confirm-button.tsx';
import type { RunStatus } from '../run-events.ts';
import { isEnded, isGoing, type Run } from './instructor-types.ts';

/**
 * One run's buttons: Pause or Resume, Extend 5/10 min and Stop while it goes (pause/resume/extend
 * answer the run's status, which is shown at once); Debrief once it ended; Timeline always.
 */
export function RunActions(props: {
  run: Run;
  state: string;
  paused: boolean;
  debriefed: boolean;
  onStatus: (status: RunStatus) => void;
  onChanged: (message: string) => void;
  onSelect: (runId: string) => void;
}) {
  const { run } = props;
  const path = `/api/runs/${encodeURIComponent(run.id)}`;
  const act = (what: string, verb: string, body?: unknown) =>
    api<RunStatus>('POST', `${path}/${verb}`, body).then(
      (status) => {
        // Pause, resume and extend answer the run's status; stop and debrief answer the run.
        if (status && typeof status === 'object' && 'phase' in status) props.onStatus(status);
        props.onChanged(`Run ${run.id}: ${what}.`);
      },
      (err: Error) => props.onChanged(`Run ${run.id}: could not ${verb} (${err.message})`),
    );
  const going = isGoing(props.state);
  return (
    <div class="run-actions">
      {going &&
        (props.paused ? (
          <button type="button" onClick={() => act('resumed', 'resume')}>
            Resume
          </button>
        ) : (
          <button type="button" onClick={() => act('paused', 'pause')}>
            Pause
          </button>
        ))}
      {going && (
        <>
          <button type="button" onClick={() => act('extended by 5 minutes', 'extend', { minutes: 5 })}>
            Extend 5 min
          </button>
          <button type="button" onClick={() => act('extended by 10 minutes', 'extend', { minutes: 10 })}>
            Extend 10 min
          </button>
          <ConfirmButton
            label="Stop"
            name="Stop"
            what={`Stop run ${run.id}${run.team ? ` (team ${run.team})` : ''}? Its faults are cleared and its load stops; it cannot be resumed.`}
            confirmLabel="Stop the run"
            onConfirm={() => act('stopped', 'stop')}
          />
        </>
      )}
      {isEnded(props.state) && !props.debriefed && (
        <ConfirmButton
          label="Debrief"
          name="Debrief"
          what={`Debrief run ${run.id}? Its grade and report open to its team, and the debrief charts show when the faults began and ended.`}
          confirmLabel="Debrief the run"
          onConfirm={() => act('debriefed', 'debrief')}
        />
      )}
      <button type="button" onClick={() => props.onSelect(run.id)} aria-label={`Timeline of run ${run.id}`}>
        Timeline
      </button>
    </div>
  );
}
