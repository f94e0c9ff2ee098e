import type { trainingClient } from '../cli/training-client.ts';

/**
 * The training process's runs API as the CLI sees it (the contract is the runs API of issue 9:
 * scenarios, runs, their events and live status). Types are written here rather than imported
 * from the server so that the CLI states what it relies on, and nothing more.
 */

export const runStates = ['warming', 'live', 'resolved', 'timed_out', 'stopped', 'refused', 'failed'] as const;
export type RunState = (typeof runStates)[number];

/** States a run never leaves: cleanup is done and the journal is complete. */
export const finishedStates: ReadonlySet<string> = new Set<RunState>(['resolved', 'timed_out', 'stopped', 'refused', 'failed']);

export function isFinished(state: string): boolean {
  return finishedStates.has(state);
}

export interface ScenarioSummary {
  id: string;
  title: string;
  curriculum: string;
  difficulty: number;
  timeboxMs: number;
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

export interface Run {
  id: string;
  /** null for operators in blind mode. */
  scenario: string | null;
  title: string | null;
  state: RunState;
  reason: string | null;
  seed: number;
  speed: number;
  blind: boolean;
  createdAt: string;
  liveAt: string | null;
  endedAt: string | null;
  /** null when blind. */
  briefing: string | null;
}

export interface RunEvent {
  id: number;
  /** ISO time, the server's clock. */
  at: string;
  runId: string | null;
  actor: string;
  kind: string;
  data: Record<string, unknown> | null;
  visibility: 'everyone' | 'instructor';
}

/** Everything a trainee may see of a run, for the live screen. Signals are null while Prometheus has no data. */
export interface RunStatus {
  id: string;
  state: RunState;
  phase: string;
  elapsedMs: number;
  liveForMs: number | null;
  timeboxMs: number;
  signals: { checkoutRate: number | null; errorRatio: number | null; p95Ms: number | null };
  firingAlerts: string[];
  levers: { at: string; actor: string; lever: string }[];
  probes: { name: string; passing: boolean }[];
  holdingForMs: number;
}

export interface StartRun {
  scenario: string;
  seed?: number;
  speed?: number;
  blind?: boolean;
}

/** How long one events request may wait on the server (the contract allows up to 25 s). */
export const longPollMs = 25_000;

type Client = ReturnType<typeof trainingClient>;

/** The runs API over one training client (operator or instructor). */
export function runsApi(client: Client) {
  return {
    scenarios: async () => (await client.get<{ scenarios: ScenarioSummary[] }>('/api/scenarios')).scenarios,
    scenario: async (id: string) => toScenarioView(await client.get<Record<string, unknown>>(`/api/scenarios/${encodeURIComponent(id)}`)),
    start: (request: StartRun) => client.post<Run>('/api/runs', request),
    runs: async () => (await client.get<{ runs: Run[] }>('/api/runs')).runs,
    run: (id: string, signal?: AbortSignal) => client.get<Run>(`/api/runs/${encodeURIComponent(id)}`, signal),
    stop: (id: string) => client.post<Run>(`/api/runs/${encodeURIComponent(id)}/stop`),
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
