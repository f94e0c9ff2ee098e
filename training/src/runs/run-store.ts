import { randomBytes } from 'node:crypto';
import type pg from 'pg';

export const runStates = ['warming', 'live', 'resolved', 'timed_out', 'stopped', 'refused', 'failed'] as const;
export type RunState = (typeof runStates)[number];
export type EndState = Exclude<RunState, 'warming' | 'live'>;

export function isFinished(state: RunState): state is EndState {
  return state !== 'warming' && state !== 'live';
}

/** What cleanup must undo, kept up to date before each action the run takes. */
export interface RunCleanup {
  faults: string[];
  /** An injection was sent whose outcome is unknown (its answer was lost): cleanup halts. */
  faultsUnsure: boolean;
  deployed: string[];
  flags: string[];
}

export interface RunRecord {
  id: string;
  /** The scenario asked for ("oncall" for an on-call run). */
  requested: string;
  /** The scenario played (an on-call run's pick). */
  scenario: string;
  title: string;
  seed: number;
  speed: number;
  blind: boolean;
  /** The team the run is for; null: no team in particular. */
  team: string | null;
  /** The shop it drives (team-shops.ts `key`): its team's in a class, '' for the single lab's shop. */
  shop: string;
  state: RunState;
  reason: string | null;
  createdBy: string;
  createdAt: string;
  liveAt: string | null;
  endedAt: string | null;
  /** When the instructor held the debrief: from then on trainees see the whole run (migration 0007). */
  debriefedAt: string | null;
  cleanup: RunCleanup;
}

interface RunRow {
  id: string;
  requested: string;
  scenario: string;
  title: string;
  seed: number;
  speed: number;
  blind: boolean;
  team: string | null;
  shop: string;
  state: RunState;
  reason: string | null;
  created_by: string;
  created_at: Date;
  live_at: Date | null;
  ended_at: Date | null;
  debriefed_at: Date | null;
  faults: string[];
  faults_unsure: boolean;
  deployed: string[];
  flags: string[];
}

const toRecord = (row: RunRow): RunRecord => ({
  id: row.id,
  requested: row.requested,
  scenario: row.scenario,
  title: row.title,
  seed: row.seed,
  speed: row.speed,
  blind: row.blind,
  team: row.team,
  shop: row.shop,
  state: row.state,
  reason: row.reason,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  liveAt: row.live_at?.toISOString() ?? null,
  endedAt: row.ended_at?.toISOString() ?? null,
  debriefedAt: row.debriefed_at?.toISOString() ?? null,
  cleanup: { faults: row.faults, faultsUnsure: row.faults_unsure, deployed: row.deployed, flags: row.flags },
});

/** Another run on the same shop has not finished; `runId` names it. */
export class RunInProgressError extends Error {
  override name = 'RunInProgressError';
  readonly runId: string;
  constructor(runId: string) {
    super(`run ${runId} has not finished`);
    this.runId = runId;
  }
}

/**
 * Fixed length, so that one run's id is never a prefix of another's: cleanup finds a run's k6 by
 * `testid=<id>` on its command line.
 */
export function newRunId(): string {
  return `run-${randomBytes(6).toString('hex')}`;
}

export interface NewRun {
  id: string;
  requested: string;
  scenario: string;
  title: string;
  seed: number;
  speed: number;
  blind: boolean;
  team: string | null;
  shop: string;
  createdBy: string;
}

/** training.runs: a run's state and cleanup list. What happened is in the events. */
export function createRunStore(pool: pg.Pool) {
  const one = async (sql: string, values: unknown[]): Promise<RunRecord | undefined> => {
    const { rows } = await pool.query<RunRow>(sql, values);
    return rows[0] ? toRecord(rows[0]) : undefined;
  };
  const update = (id: string, set: string, values: unknown[]) => one(`UPDATE training.runs SET ${set} WHERE id = $1 RETURNING *`, [id, ...values]);

  return {
    /** Throws RunInProgressError when a run on the same shop has not finished (one per shop, held by a unique index). */
    async create(run: NewRun): Promise<RunRecord> {
      try {
        const created = await one(
          `INSERT INTO training.runs (id, requested, scenario, title, seed, speed, blind, team, shop, state, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'warming', $10) RETURNING *`,
          [run.id, run.requested, run.scenario, run.title, run.seed, run.speed, run.blind, run.team, run.shop, run.createdBy],
        );
        return created!;
      } catch (err) {
        if ((err as { code?: string }).code === '23505') {
          const unfinished = (await this.unfinished()).find((other) => other.shop === run.shop);
          throw new RunInProgressError(unfinished?.id ?? 'unknown');
        }
        throw err;
      }
    },

    get: (id: string) => one('SELECT * FROM training.runs WHERE id = $1', [id]),

    async list(limit = 50): Promise<RunRecord[]> {
      const { rows } = await pool.query<RunRow>('SELECT * FROM training.runs ORDER BY created_at DESC, id LIMIT $1', [limit]);
      return rows.map(toRecord);
    },

    async unfinished(): Promise<RunRecord[]> {
      const { rows } = await pool.query<RunRow>('SELECT * FROM training.runs WHERE ended_at IS NULL ORDER BY created_at');
      return rows.map(toRecord);
    },

    /** Marks the debrief held; the first debrief's time stays. */
    markDebriefed: (id: string) => update(id, 'debriefed_at = COALESCE(debriefed_at, now())', []),

    setLive: (id: string) => update(id, `state = 'live', live_at = now()`, []),

    /** Ends a run once: a run already ended keeps its first end. */
    end: (id: string, state: EndState, reason: string | null) =>
      one(`UPDATE training.runs SET state = $2, reason = $3, ended_at = now() WHERE id = $1 AND ended_at IS NULL RETURNING *`, [id, state, reason]),

    addFault: (id: string, faultId: string) => update(id, 'faults = array_append(faults, $2), faults_unsure = false', [faultId]),
    setFaultsUnsure: (id: string) => update(id, 'faults_unsure = true', []),
    /** Faults cleared already need no cleanup. */
    removeFaults: (id: string, faultIds: readonly string[]) =>
      update(id, 'faults = ARRAY(SELECT f FROM unnest(faults) AS f WHERE NOT (f = ANY($2::text[])))', [faultIds]),
    addDeployed: (id: string, service: string) =>
      update(id, 'deployed = CASE WHEN $2 = ANY(deployed) THEN deployed ELSE array_append(deployed, $2) END', [service]),
    addFlag: (id: string, flag: string) => update(id, 'flags = CASE WHEN $2 = ANY(flags) THEN flags ELSE array_append(flags, $2) END', [flag]),
  };
}

export type RunStore = ReturnType<typeof createRunStore>;
