/**
 * The training API's and the chaos controller's answers, as the instructor view reads them (the
 * documented shapes: training/src/runs/runs-contract.ts, identity and report routes, the chaos
 * controller's catalogue and faults). Written out here: the page imports no server code.
 */

export interface Team {
  name: string;
  trainees?: number;
}

export interface Trainee {
  name: string;
  team: string;
}

export interface Run {
  id: string;
  scenario: string | null;
  title: string | null;
  state: string;
  team: string | null;
  createdAt: string;
  liveAt: string | null;
  endedAt: string | null;
}

export interface Scenario {
  id: string;
  title: string;
  curriculum: string;
  difficulty: number;
  timeboxMs: number;
}

export interface ScoreboardRun {
  runId: string;
  scenario: string | null;
  state: string;
  endedAt: string | null;
  debriefed: boolean;
  score: number | null;
  pending: string | null;
}

export interface Scoreboard {
  teams: Array<{ team: string | null; best: number | null; runs: ScoreboardRun[] }>;
}

/** One family of the chaos controller's GET /api/catalogue. */
export interface FaultFamily {
  family: string;
  summary: string;
  targets: string[];
  modes?: string[];
  /** Setting name → how to fill it ("required, 1–60000", "default 0.5"). */
  settings: Record<string, string>;
  symptoms: string;
}

export interface Catalogue {
  families: FaultFamily[];
  defaultDuration: string;
  maxDuration: string;
}

export interface ActiveFault {
  id: string;
  family: string;
  /** A class's team whose shop it acts on. */
  team?: string;
  target: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  remainingSeconds: number;
}

export interface JournalEntry {
  at: string;
  actor: string;
  action: string;
  faultId: string | null;
  details: Record<string, unknown>;
}

/** Run states after which nothing more happens in the run. */
export const endedStates = ['resolved', 'timed_out', 'stopped', 'refused', 'failed'] as const;

export function isEnded(state: string): boolean {
  return (endedStates as readonly string[]).includes(state);
}

/** A run the instructor can still pause, extend or stop. */
export function isGoing(state: string): boolean {
  return state === 'warming' || state === 'live';
}
