import type pg from 'pg';
import { findByPersonalToken, type Logger } from '@firedrill/kit';

/** A trainee as the gate knows it. */
export interface GateTrainee {
  name: string;
  team: string;
}

/**
 * How the controller tells a trainee's token from a stranger's: trainees have an identity in the
 * lab (so a fault route answers them 403, not 401), and their attempt is on record for the
 * instructor. See docs/decisions/0008-trainee-identities.md.
 */
export interface TraineeGate {
  /** The trainee a presented token belongs to, or undefined. */
  traineeOf(presented: string): Promise<GateTrainee | undefined>;
  /** Records a trainee's refused attempt; never throws (the refusal is answered either way). */
  refused(trainee: GateTrainee, attempt: { method: string; path: string }): Promise<void>;
}

/** Postgres' codes for "no such table" and "no such schema": the training process has not migrated yet, so no trainee exists. */
const notMigrated = new Set(['42P01', '3F000']);

/**
 * The gate over the lab's database, which the controller shares with the training process: it
 * reads training.trainees (by token hash, as the training process does, with kit's
 * findByPersonalToken) and appends access.refused to training.events (instructor-only, during the
 * unfinished run if there is one). Those two tables are the training plane's; this file is the
 * only place the fault plane touches them.
 */
export function createTraineeGate(pool: pg.Pool, logger: Logger): TraineeGate {
  return {
    async traineeOf(presented) {
      try {
        const found = await findByPersonalToken(presented, async (hash) => {
          const { rows } = await pool.query<{ name: string; team: string; token_hash: string }>(
            'SELECT name, team, token_hash FROM training.trainees WHERE token_hash = $1',
            [hash],
          );
          return rows[0] && { name: rows[0].name, team: rows[0].team, tokenHash: rows[0].token_hash };
        });
        return found && { name: found.name, team: found.team };
      } catch (err) {
        if (notMigrated.has((err as { code?: string }).code ?? '')) return undefined;
        throw err;
      }
    },

    async refused(trainee, attempt) {
      try {
        await pool.query(
          `INSERT INTO training.events (actor, kind, data, visibility, run_id, team)
           VALUES ($1, 'access.refused', $2::jsonb, 'instructor', (SELECT id FROM training.runs WHERE ended_at IS NULL ORDER BY created_at LIMIT 1), $3)`,
          [
            `trainee:${trainee.name}`,
            JSON.stringify({ action: `${attempt.method} ${attempt.path}`, where: 'chaos controller', reason: "fault routes are the instructor's" }),
            trainee.team,
          ],
        );
      } catch (err) {
        logger.warn({ err, trainee: trainee.name, ...attempt }, "a trainee's refused attempt at a fault route could not be journalled");
      }
    },
  };
}
