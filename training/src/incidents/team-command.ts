import type pg from 'pg';
import { HttpProblem, IdempotencyKeyReusedError, RequestInProgressError } from '@firedrill/kit';

/** What a command answers: kept by Idempotency-Key so a replay gets it again. */
export interface CommandReply {
  status: number;
  body: object;
  /** True when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

export interface TeamCommand {
  runId: string;
  team: string | null;
  idempotencyKey: string;
  /** requestFingerprint of what was asked (route, caller, body). */
  fingerprint: string;
}

/**
 * Runs one team's command race-free and at most once: in a transaction holding an advisory lock
 * on (run, team), so two trainees declaring at once are decided one after the other on the
 * journal as the first left it; and by Idempotency-Key, so the same request sent again gets the
 * first answer and appends nothing. `work` reads the events, decides and appends with `client`;
 * an HttpProblem it throws is the command's answer (a refusal is kept and replayed too).
 */
export async function runTeamCommand(
  pool: pg.Pool,
  command: TeamCommand,
  work: (client: pg.PoolClient) => Promise<{ status: number; body: object }>,
): Promise<CommandReply> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`team-command:${command.runId}:${command.team ?? ''}`]);
    const { rows } = await client.query<{ fingerprint: string; status: number; body: object }>(
      'SELECT fingerprint, status, body FROM training.command_replies WHERE idempotency_key = $1',
      [command.idempotencyKey],
    );
    const earlier = rows[0];
    if (earlier) {
      await client.query('ROLLBACK');
      if (earlier.fingerprint !== command.fingerprint)
        throw new IdempotencyKeyReusedError('This Idempotency-Key was sent with a different request; send a new key for a new command');
      return { status: earlier.status, body: earlier.body, replayed: true };
    }
    let reply: { status: number; body: object };
    try {
      reply = await work(client);
    } catch (err) {
      if (!(err instanceof HttpProblem) || err.status >= 500) throw err;
      reply = { status: err.status, body: err.toBody() };
    }
    await client.query('INSERT INTO training.command_replies (idempotency_key, fingerprint, status, body) VALUES ($1, $2, $3, $4::jsonb)', [
      command.idempotencyKey,
      command.fingerprint,
      reply.status,
      JSON.stringify(reply.body),
    ]);
    await client.query('COMMIT');
    return { ...reply, replayed: false };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    // The same key sent for another team's command at the same moment: the other one holds it.
    if ((err as { code?: string }).code === '23505') throw new RequestInProgressError('A request with this Idempotency-Key is being answered; retry shortly');
    throw err;
  } finally {
    client.release();
  }
}
