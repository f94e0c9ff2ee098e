import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { EventStore } from '../events/event-store.ts';
import type { PirFinding } from './pir-check.ts';
import type { PirRun } from './pir-events.ts';

export interface StoredPir {
  id: string;
  runId: string;
  team: string | null;
  score: number;
  findings: PirFinding[];
  submittedBy: string;
  submittedAt: string;
}

export interface NewPir {
  runId: string;
  team: string | null;
  markdown: string;
  findings: PirFinding[];
  score: number;
  submittedBy: string;
}

interface PirRow {
  id: string;
  run_id: string;
  team: string | null;
  findings: PirFinding[];
  score: number;
  submitted_by: string;
  submitted_at: Date;
}

interface RunRow {
  id: string;
  title: string;
  blind: boolean;
  state: string;
  live_at: Date | null;
  ended_at: Date | null;
  team: string | null;
}

export const newPirId = () => `pir-${randomBytes(6).toString('hex')}`;

/** training.pirs, and the run a PIR belongs to. */
export function createPirStore(pool: pg.Pool, events: EventStore) {
  return {
    /**
     * The run as a PIR needs it. `team` is read through to_jsonb so this works before and after
     * runs get their team column (identities, engineer A): null until then.
     */
    async run(id: string): Promise<PirRun | undefined> {
      const { rows } = await pool.query<RunRow>(`SELECT r.id, r.title, r.blind, r.state, r.live_at, r.ended_at, r.team FROM training.runs r WHERE r.id = $1`, [
        id,
      ]);
      const row = rows[0];
      if (!row) return undefined;
      return {
        id: row.id,
        title: row.title,
        blind: row.blind,
        state: row.state,
        liveAt: row.live_at?.toISOString() ?? null,
        endedAt: row.ended_at?.toISOString() ?? null,
        team: row.team,
      };
    },

    /** Stores the review and appends its pir.submitted event in one transaction: both or neither. */
    async submit(pir: NewPir): Promise<StoredPir> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<PirRow>(
          `INSERT INTO training.pirs (id, run_id, team, markdown, findings, score, submitted_by)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)
           RETURNING id, run_id, team, findings, score, submitted_by, submitted_at`,
          [newPirId(), pir.runId, pir.team, pir.markdown, JSON.stringify(pir.findings), pir.score, pir.submittedBy],
        );
        const row = rows[0]!;
        // The shape grading reads (engineer C): exactly these three fields.
        await events.append(
          [
            {
              actor: pir.submittedBy,
              kind: 'pir.submitted',
              runId: pir.runId,
              team: pir.team,
              data: { pirId: row.id, score: row.score, findings: row.findings },
            },
          ],
          client,
        );
        await client.query('COMMIT');
        return {
          id: row.id,
          runId: row.run_id,
          team: row.team,
          score: row.score,
          findings: row.findings,
          submittedBy: row.submitted_by,
          submittedAt: row.submitted_at.toISOString(),
        };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
  };
}

export type PirStore = ReturnType<typeof createPirStore>;
