import { useEffect } from 'preact/hooks';
import { api } from '../api.ts';
import type { IncidentView } from '../incident-types.ts';
import { useRunStream, type RunStatus } from '../run-events.ts';
import { withTeam } from '../team-scope.ts';
import { incidentText } from './run-rows.ts';

/**
 * Follows one going run's event stream (SSE) and reports its status and incident upwards; draws
 * nothing. Every event re-reads the incident: the latest run's of the run's `team` in a class (each
 * team has a run going), the latest run's in a single lab (this one); an answer about another run is ignored.
 */
export function RunWatcher(props: {
  runId: string;
  team: string | null;
  onStatus: (status: RunStatus) => void;
  onIncident: (runId: string, text: string) => void;
}) {
  const { events, status } = useRunStream(props.runId);
  useEffect(() => {
    if (status) props.onStatus(status);
  }, [status]);
  useEffect(() => {
    api<IncidentView>('GET', withTeam('/api/incident/status', props.team)).then(
      (view) => view.runId === props.runId && props.onIncident(props.runId, incidentText(view)),
      () => {},
    );
  }, [events.length]);
  return null;
}
