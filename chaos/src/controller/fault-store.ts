import type pg from 'pg';
import { inTransaction } from '@firedrill/kit';
import type { FaultSpec } from '../faults/catalogue.ts';

export interface Fault {
  id: string;
  spec: FaultSpec;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  executedAt: Date | null;
}

export type EndReason = 'cleared' | 'expired' | 'halted';

export interface JournalEntry {
  at: Date;
  actor: string;
  action: 'inject' | 'clear' | 'expire' | 'halt' | 'restore' | 'execute' | 'revert';
  faultId: string | null;
  details: Record<string, unknown>;
}

interface FaultRow {
  id: string;
  spec: FaultSpec;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  executed_at: Date | null;
}

const toFault = (row: FaultRow): Fault => ({
  id: row.id,
  spec: row.spec,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  executedAt: row.executed_at,
});

/** Faults and their journal, in the lab's own database. Every change is journalled in the same transaction. */
export function createFaultStore(pool: pg.Pool) {
  return {
    async insert(fault: Fault): Promise<void> {
      await inTransaction(pool, async (tx) => {
        const mode = 'mode' in fault.spec ? fault.spec.mode : null;
        await tx.query(
          `INSERT INTO chaos.faults (id, family, target, mode, spec, created_by, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [fault.id, fault.spec.family, fault.spec.target, mode, fault.spec, fault.createdBy, fault.createdAt, fault.expiresAt],
        );
        await journal(tx, fault.createdBy, 'inject', fault.id, { spec: fault.spec, expiresAt: fault.expiresAt.toISOString() });
      });
    },

    /** Ends a fault if it is still active; returns false when it was not. `details` go into the journal. */
    async end(id: string, actor: string, reason: EndReason, details: Record<string, unknown> = {}): Promise<boolean> {
      return inTransaction(pool, async (tx) => {
        const result = await tx.query(`UPDATE chaos.faults SET ended_at = now(), ended_by = $2, end_reason = $3 WHERE id = $1 AND ended_at IS NULL`, [
          id,
          actor,
          reason,
        ]);
        if (result.rowCount === 0) return false;
        await journal(tx, actor, reason === 'cleared' ? 'clear' : reason === 'expired' ? 'expire' : 'halt', id, details);
        return true;
      });
    },

    async markExecuted(id: string, actor: string): Promise<void> {
      await inTransaction(pool, async (tx) => {
        const result = await tx.query(`UPDATE chaos.faults SET executed_at = now() WHERE id = $1 AND executed_at IS NULL`, [id]);
        if (result.rowCount) await journal(tx, actor, 'execute', id, {});
      });
    },

    async active(): Promise<Fault[]> {
      const { rows } = await pool.query<FaultRow>(
        `SELECT id, spec, created_by, created_at, expires_at, executed_at FROM chaos.faults WHERE ended_at IS NULL ORDER BY created_at`,
      );
      return rows.map(toFault);
    },

    /**
     * What a fault the controller carries out changed, and how to undo it: kept until reverted.
     * Saved before the change is made, so a crash half-way still leaves what to undo, and again
     * once it is made, journalled as its execution.
     */
    async saveExecutorState(id: string, state: Record<string, unknown>, options: { journal: boolean }): Promise<void> {
      await inTransaction(pool, async (tx) => {
        await tx.query(`UPDATE chaos.faults SET executor_state = $2 WHERE id = $1`, [id, state]);
        if (options.journal) await journal(tx, 'controller', 'execute', id, state);
      });
    },

    /** The fault's changes were undone. */
    async markReverted(id: string, details: Record<string, unknown>): Promise<void> {
      await inTransaction(pool, async (tx) => {
        const result = await tx.query(`UPDATE chaos.faults SET executor_state = NULL WHERE id = $1 AND executor_state IS NOT NULL`, [id]);
        if (result.rowCount) await journal(tx, 'controller', 'revert', id, details);
      });
    },

    /** Faults, active or ended, whose changes to a server are in place (not reverted yet). */
    async unreverted(): Promise<{ id: string; spec: FaultSpec; state: Record<string, unknown> }[]> {
      const { rows } = await pool.query<{ id: string; spec: FaultSpec; executor_state: Record<string, unknown> }>(
        `SELECT id, spec, executor_state FROM chaos.faults WHERE executor_state IS NOT NULL ORDER BY created_at`,
      );
      return rows.map((r) => ({ id: r.id, spec: r.spec, state: r.executor_state }));
    },

    async record(actor: string, action: JournalEntry['action'], faultId: string | null, details: Record<string, unknown>): Promise<void> {
      await journal(pool, actor, action, faultId, details);
    },

    async journal(limit = 200): Promise<JournalEntry[]> {
      const { rows } = await pool.query<{ at: Date; actor: string; action: JournalEntry['action']; fault_id: string | null; details: Record<string, unknown> }>(
        `SELECT at, actor, action, fault_id, details FROM chaos.journal ORDER BY id DESC LIMIT $1`,
        [limit],
      );
      return rows.map((r) => ({ at: r.at, actor: r.actor, action: r.action, faultId: r.fault_id, details: r.details }));
    },
  };
}

export type FaultStore = ReturnType<typeof createFaultStore>;

async function journal(
  db: Pick<pg.Pool, 'query'>,
  actor: string,
  action: JournalEntry['action'],
  faultId: string | null,
  details: Record<string, unknown>,
): Promise<void> {
  await db.query(`INSERT INTO chaos.journal (actor, action, fault_id, details) VALUES ($1, $2, $3, $4)`, [actor, action, faultId, details]);
}
