import type { Run, RunEvent, RunState, RunStatus, ScenarioSummary } from './runs-contract.ts';

/**
 * A client of the runs API (scenarios, runs, their events and live status), for whoever drives
 * runs from outside the training process: the lab CLI, the labs benchmark. The shapes are the
 * server's own (runs-contract.ts); the HTTP part (where, which token) is the caller's.
 */

/** States a run never leaves: cleanup is done and the journal is complete. */
export const finishedStates: ReadonlySet<string> = new Set<RunState>(['resolved', 'timed_out', 'stopped', 'refused', 'failed']);

export function isFinished(state: string): boolean {
  return finishedStates.has(state);
}

/** What `GET /api/scenarios/{id}` answers an operator; an instructor gets the whole scenario on top. */
export interface ScenarioView extends ScenarioSummary {
  briefing: string;
  par?: ParTimes;
  answer?: { severity: string; category: string; rootCause: string };
  /** Durations in ms, as the scenario loader parses them. */
  hints?: { after?: number; cost: number; text: string }[];
  [field: string]: unknown;
}

export interface ParTimes {
  detect: number;
  acknowledge: number;
  mitigate: number;
  resolve: number;
}

export interface StartRun {
  scenario: string;
  seed?: number;
  speed?: number;
  blind?: boolean;
  /** The team the run is for (it must exist); absent: the only team if there is one, else none. */
  team?: string;
}

/** How long one events request may wait on the server (the contract allows up to 25 s). */
export const longPollMs = 25_000;

/** The caller's HTTP: JSON in and out, its token and actor, problems thrown as errors. */
export interface RunsHttp {
  get<T>(route: string, signal?: AbortSignal): Promise<T>;
  post<T>(route: string, body?: unknown): Promise<T>;
}

/** The runs API over one training client (operator or instructor). */
export function runsApi(client: RunsHttp) {
  return {
    scenarios: async () => (await client.get<{ scenarios: ScenarioSummary[] }>('/api/scenarios')).scenarios,
    scenario: async (id: string) => toScenarioView(await client.get<Record<string, unknown>>(`/api/scenarios/${encodeURIComponent(id)}`)),
    start: (request: StartRun) => client.post<Run>('/api/runs', request),
    runs: async () => (await client.get<{ runs: Run[] }>('/api/runs')).runs,
    run: (id: string, signal?: AbortSignal) => client.get<Run>(`/api/runs/${encodeURIComponent(id)}`, signal),
    stop: (id: string) => client.post<Run>(`/api/runs/${encodeURIComponent(id)}/stop`),
    /** Instructor only: hold the run's timeline, let it go on, or add minutes to its timebox. */
    pause: (id: string) => client.post<RunStatus>(`/api/runs/${encodeURIComponent(id)}/pause`),
    resume: (id: string) => client.post<RunStatus>(`/api/runs/${encodeURIComponent(id)}/resume`),
    extend: (id: string, minutes: number) => client.post<RunStatus>(`/api/runs/${encodeURIComponent(id)}/extend`, { minutes }),
    status: (id: string, signal?: AbortSignal) => client.get<RunStatus>(`/api/runs/${encodeURIComponent(id)}/status`, signal),
    events: async (id: string, after: number, waitMs: number, signal?: AbortSignal) =>
      (await client.get<{ events: RunEvent[] }>(`/api/runs/${encodeURIComponent(id)}/events?after=${after}&waitMs=${waitMs}`, signal)).events,
  };
}

export type RunsApi = ReturnType<typeof runsApi>;

/**
 * The operator's answer is flat; the instructor's is "the loaded scenario", which may nest the
 * parsed file (`{ scenario, briefing }`) and call the timebox `timebox` (ms, as the loader parses
 * durations). Either way the CLI gets one shape.
 */
export function toScenarioView(answer: Record<string, unknown>): ScenarioView {
  const nested = answer.scenario;
  const flat: Record<string, unknown> = nested !== null && typeof nested === 'object' ? { ...answer, ...nested } : { ...answer };
  if (flat.timeboxMs === undefined && typeof flat.timebox === 'number') flat.timeboxMs = flat.timebox;
  if (typeof flat.briefing !== 'string') flat.briefing = typeof answer.briefing === 'string' ? answer.briefing : '';
  return flat as ScenarioView;
}
