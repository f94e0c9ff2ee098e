import { useEffect } from 'preact/hooks';
import { api } from '../api.ts';
import type { IncidentView } from '../incident-types.ts';
import { useRunStream, type RunStatus } from '../run-events.ts';

/** What the Runs table shows of a run's incident: its status and severity, in words. */
export function incidentText(view: Pick<IncidentView, 'status' | 'incident' | 'acknowledged'>): string {
  if (view.status === 'none') return 'no incident yet';
  const severity = view.incident ? ` ${view.incident.severity}` : '';
  if (view.status === 'open') return view.acknowledged ? 'paged, acknowledged' : 'paged, not acknowledged';
  return `${view.status}${severity}`;
}

/**
 * Follows one going run's event stream (SSE) and reports its status and incident upwards; draws
 * nothing. Every event re-reads the incident (the instructor's GET /api/incident/status answers the
 * latest run's, which is this one while the lab has one shop; an answer about another run is ignored).
 */
export function RunWatcher(props: { runId: string; onStatus: (status: RunStatus) => void; onIncident: (runId: string, text: string) => void }) {
  const { events, status } = useRunStream(props.runId);
  useEffect(() => {
    if (status) props.onStatus(status);
  }, [status]);
  useEffect(() => {
    api<IncidentView>('GET', '/api/incident/status').then(
      (view) => view.runId === props.runId && props.onIncident(props.runId, incidentText(view)),
      () => {},
    );
  }, [events.length]);
  return null;
}
