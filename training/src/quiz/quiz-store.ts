import type pg from 'pg';
import type { EventStore } from '../events/event-store.ts';
import type { QuizAnswers } from './quiz-schema.ts';

export interface AttemptToSave {
  quiz: string;
  trainee: string;
  team: string | null;
  actor: string;
  answers: QuizAnswers;
  correct: number;
  total: number;
}

export interface SavedAttempt {
  id: number;
  at: string;
  /** Whether this attempt is the trainee's counted one (the first). */
  counted: boolean;
  /** The counted attempt's score (this one's, when it is the first). */
  countedScore: { correct: number; total: number };
}

/**
 * Quiz attempts (training.quiz_attempts). The first attempt of a trainee at a quiz is counted,
 * and its quiz.answered event is appended in the same transaction: a score is in the journal
 * exactly when it is counted. The unique index settles two first attempts sent at once.
 */
export function createQuizStore(pool: pg.Pool, events: EventStore) {
  return {
    async save(attempt: AttemptToSave): Promise<SavedAttempt> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const values = [attempt.quiz, attempt.trainee, attempt.team, attempt.actor, JSON.stringify(attempt.answers), attempt.correct, attempt.total];
        const first = await client.query<{ id: string; at: Date }>(
          `INSERT INTO training.quiz_attempts (quiz, trainee, team, actor, answers, correct, total, counted)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, true)
           ON CONFLICT (quiz, trainee) WHERE counted DO NOTHING RETURNING id, at`,
          values,
        );
        let saved: SavedAttempt;
        if (first.rows[0]) {
          // Exactly { trainee, correct, total }: the run report reads this shape.
          await events.append(
            [
              {
                actor: attempt.actor,
                team: attempt.team,
                kind: 'quiz.answered',
                data: { trainee: attempt.trainee, correct: attempt.correct, total: attempt.total },
              },
            ],
            client,
          );
          saved = {
            id: Number(first.rows[0].id),
            at: first.rows[0].at.toISOString(),
            counted: true,
            countedScore: { correct: attempt.correct, total: attempt.total },
          };
        } else {
          const later = await client.query<{ id: string; at: Date }>(
            `INSERT INTO training.quiz_attempts (quiz, trainee, team, actor, answers, correct, total, counted)
             VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, false) RETURNING id, at`,
            values,
          );
          const counted = await client.query<{ correct: number; total: number }>(
            'SELECT correct, total FROM training.quiz_attempts WHERE quiz = $1 AND trainee = $2 AND counted',
            [attempt.quiz, attempt.trainee],
          );
          saved = { id: Number(later.rows[0]!.id), at: later.rows[0]!.at.toISOString(), counted: false, countedScore: counted.rows[0]! };
        }
        await client.query('COMMIT');
        return saved;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

export type QuizStore = ReturnType<typeof createQuizStore>;
