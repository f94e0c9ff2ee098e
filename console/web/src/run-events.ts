import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';

export interface RunEvent {
  id: number;
  at: string;
  actor: string;
  kind: string;
  data?: unknown;
}

/** GET /api/runs/{id}/status as the training API documents it (runs-contract.ts). */
export interface RunStatus {
  id: string;
  state: string;
  phase: string;
  elapsedMs: number;
  liveForMs: number | null;
  timeboxMs: number | null;
  signals: { checkoutRate: number | null; errorRatio: number | null; p95Ms: number | null };
  firingAlerts: string[];
  levers: Array<{ at: string; actor: string; lever: string }>;
  probes: Array<{ name: string; passing: boolean }>;
  holdingForMs: number;
  /** When the instructor paused the run (its timebox stands still); null: not paused. */
  pausedAt: string | null;
}

/** A run's events and status as the console pushes them (server-sent events; EventSource reconnects by itself). */
export function useRunStream(runId: string | null): { events: RunEvent[]; status: RunStatus | null; problem: string } {
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [status, setStatus] = useState<RunStatus | null>(null);
  const [problem, setProblem] = useState('');
  useEffect(() => {
    setEvents([]);
    setStatus(null);
    if (!runId) return;
    const source = new EventSource(`/console/runs/${encodeURIComponent(runId)}/stream`);
    source.addEventListener('run-event', (e) => setEvents((list) => [...list, JSON.parse((e as MessageEvent).data) as RunEvent]));
    const statusPath = `/api/runs/${encodeURIComponent(runId)}/status`;
    // The pushed status first, then the training API's own answer at once: a 'run-status' event
    // says the status moved (an alert fired), and the page shows the newest the API knows rather
    // than waiting for the stream's next poll. No polling of our own beside it.
    source.addEventListener('run-status', (e) => {
      setStatus(JSON.parse((e as MessageEvent).data) as RunStatus);
      api<RunStatus>('GET', statusPath).then(setStatus, () => undefined);
    });
    source.addEventListener('problem', (e) => {
      setProblem(String((JSON.parse((e as MessageEvent).data) as { detail?: string }).detail ?? 'refused'));
      source.close();
    });
    return () => source.close();
  }, [runId]);
  return { events, status, problem };
}
