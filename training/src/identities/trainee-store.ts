import type pg from 'pg';
import { findByPersonalToken, newPersonalToken, tokenHash } from '@firedrill/kit';

/** A trainee as the lab shows it: never its token, nor its token's hash. */
export interface Trainee {
  name: string;
  team: string;
  createdAt: string;
}

export interface Team {
  name: string;
  createdAt: string;
  /** How many trainees it has. */
  trainees: number;
}

/** A team or trainee of that name exists already. */
export class IdentityExistsError extends Error {
  override name = 'IdentityExistsError';
}

/** The team named does not exist. */
export class UnknownTeamError extends Error {
  override name = 'UnknownTeamError';
  readonly team: string;
  constructor(team: string) {
    super(`no team "${team}"`);
    this.team = team;
  }
}

interface TraineeRow {
  name: string;
  team: string;
  token_hash: string;
  created_at: Date;
}

const toTrainee = (row: TraineeRow): Trainee => ({ name: row.name, team: row.team, createdAt: row.created_at.toISOString() });

const uniqueViolation = '23505';
const foreignKeyViolation = '23503';
const codeOf = (err: unknown) => (err as { code?: string }).code;

/**
 * training.teams and training.trainees. A trainee's token is generated here, returned once by
 * addTrainee and never again: only its hash is stored. Names are validated by the callers
 * (identity-names.ts) and again by the table's CHECK.
 */
export function createTraineeStore(pool: pg.Pool) {
  return {
    async addTeam(name: string): Promise<Team> {
      try {
        const { rows } = await pool.query<{ name: string; created_at: Date }>('INSERT INTO training.teams (name) VALUES ($1) RETURNING *', [name]);
        return { name: rows[0]!.name, createdAt: rows[0]!.created_at.toISOString(), trainees: 0 };
      } catch (err) {
        if (codeOf(err) === uniqueViolation) throw new IdentityExistsError(`team "${name}" exists already`);
        throw err;
      }
    },

    async listTeams(): Promise<Team[]> {
      const { rows } = await pool.query<{ name: string; created_at: Date; trainees: number }>(
        `SELECT t.name, t.created_at, count(p.name)::int AS trainees
           FROM training.teams t LEFT JOIN training.trainees p ON p.team = t.name
          GROUP BY t.name, t.created_at ORDER BY t.name`,
      );
      return rows.map((row) => ({ name: row.name, createdAt: row.created_at.toISOString(), trainees: row.trainees }));
    },

    async teamExists(name: string): Promise<boolean> {
      const { rowCount } = await pool.query('SELECT 1 FROM training.teams WHERE name = $1', [name]);
      return rowCount === 1;
    },

    /** The trainee and its token: the only time the token is anywhere but with the trainee. */
    async addTrainee(name: string, team: string): Promise<{ trainee: Trainee; token: string }> {
      const token = newPersonalToken();
      try {
        const { rows } = await pool.query<TraineeRow>('INSERT INTO training.trainees (name, team, token_hash) VALUES ($1, $2, $3) RETURNING *', [
          name,
          team,
          tokenHash(token),
        ]);
        return { trainee: toTrainee(rows[0]!), token };
      } catch (err) {
        if (codeOf(err) === uniqueViolation) throw new IdentityExistsError(`trainee "${name}" exists already`);
        if (codeOf(err) === foreignKeyViolation) throw new UnknownTeamError(team);
        throw err;
      }
    },

    async listTrainees(): Promise<Trainee[]> {
      const { rows } = await pool.query<TraineeRow>('SELECT * FROM training.trainees ORDER BY team, name');
      return rows.map(toTrainee);
    },

    /**
     * The team `name` is in (null: no such trainee); with no trainee registered at all — one
     * person at the lab with the operator token — every name is taken as in the run's team (`open`).
     */
    async teamOf(name: string): Promise<string | null | 'open'> {
      const { rows } = await pool.query<{ team: string | null; any: boolean }>(
        'SELECT (SELECT team FROM training.trainees WHERE name = $1) AS team, EXISTS (SELECT 1 FROM training.trainees) AS any',
        [name],
      );
      const row = rows[0]!;
      return row.team ?? (row.any ? null : 'open');
    },

    /** The removed trainee (its token stops working at once), or undefined if there was none. */
    async removeTrainee(name: string): Promise<Trainee | undefined> {
      const { rows } = await pool.query<TraineeRow>('DELETE FROM training.trainees WHERE name = $1 RETURNING *', [name]);
      return rows[0] ? toTrainee(rows[0]) : undefined;
    },

    /** The trainee a presented token belongs to (kit's findByPersonalToken: by hash, compared in constant time). */
    async findByToken(presented: string): Promise<Trainee | undefined> {
      const found = await findByPersonalToken(presented, async (hash) => {
        const { rows } = await pool.query<TraineeRow>('SELECT * FROM training.trainees WHERE token_hash = $1', [hash]);
        return rows[0] && { row: rows[0], tokenHash: rows[0].token_hash };
      });
      return found && toTrainee(found.row);
    },
  };
}

export type TraineeStore = ReturnType<typeof createTraineeStore>;
