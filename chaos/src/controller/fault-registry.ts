import { randomUUID } from 'node:crypto';
import { createChangeWaiters, type Logger } from '@firedrill/kit';
import type { FaultSpec } from '../faults/catalogue.ts';
import type { Fault, FaultStore } from './fault-store.ts';

/** A fault could not take effect (its executor, e.g. Toxiproxy, failed); nothing was left active. */
export class FaultNotAppliedError extends Error {
  constructor(cause: unknown) {
    super(`the fault could not be applied: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'FaultNotAppliedError';
  }
}

export const defaultDurationMs = 10 * 60_000;
export const maxDurationMs = 2 * 60 * 60_000;

export interface FaultRegistryOptions {
  store: FaultStore;
  logger: Logger;
  /** Called after every change with the faults now active (Toxiproxy reconciliation, metrics). */
  onChange?: (active: readonly Fault[]) => Promise<void> | void;
  now?: () => number;
}

/**
 * The set of active faults. Every fault has a duration and ends by itself; clear ends one, halt
 * ends all at once. The store is the source of truth, so a restarted controller restores the
 * active faults with their remaining time.
 */
export function createFaultRegistry(options: FaultRegistryOptions) {
  const { store, logger } = options;
  const now = options.now ?? Date.now;
  const active = new Map<string, Fault>();
  const timers = new Map<string, NodeJS.Timeout>();
  // The version of the fault set agents see, bumped on every change. It starts from the clock so
  // that it keeps growing across controller restarts: an agent's report of a version applied
  // before a restart must never pass for a newer one.
  let version = now();
  /** Agents' held polls, answered at the next change (or when their wait runs out). */
  const changeWaiters = createChangeWaiters();
  const bump = () => {
    version = Math.max(version + 1, now());
    changeWaiters.wakeAll();
  };

  const changed = async () => {
    try {
      await options.onChange?.([...active.values()]);
    } catch (err) {
      logger.error({ err }, 'applying the fault set failed');
    }
  };

  const arm = (fault: Fault) => {
    const timer = setTimeout(() => void end(fault.id, 'controller', 'expired'), Math.max(0, fault.expiresAt.getTime() - now()));
    timers.set(fault.id, timer);
  };

  async function end(id: string, actor: string, reason: 'cleared' | 'expired' | 'halted', details: Record<string, unknown> = {}): Promise<boolean> {
    if (!active.has(id)) return false;
    clearTimeout(timers.get(id));
    timers.delete(id);
    active.delete(id);
    bump();
    await store.end(id, actor, reason, details);
    logger.info({ faultId: id, actor, reason }, 'fault ended');
    return true;
  }

  return {
    async restore(): Promise<Fault[]> {
      const restored: Fault[] = [];
      for (const fault of await store.active()) {
        if (fault.expiresAt.getTime() <= now()) {
          await store.end(fault.id, 'controller', 'expired');
          continue;
        }
        active.set(fault.id, fault);
        arm(fault);
        restored.push(fault);
      }
      if (restored.length > 0) {
        await store.record('controller', 'restore', null, { faults: restored.map((f) => f.id) });
        logger.info({ faults: restored.map((f) => f.id) }, 'restored active faults');
      }
      await changed();
      return restored;
    },

    async inject(spec: FaultSpec, durationMs: number, actor: string): Promise<Fault> {
      const createdAt = new Date(now());
      const fault: Fault = {
        id: `flt_${randomUUID().replaceAll('-', '').slice(0, 12)}`,
        spec,
        createdBy: actor,
        createdAt,
        expiresAt: new Date(createdAt.getTime() + Math.min(durationMs, maxDurationMs)),
        executedAt: null,
      };
      await store.insert(fault);
      active.set(fault.id, fault);
      bump();
      arm(fault);
      try {
        // Applied before the instructor gets an answer: a fault that could not take effect
        // (Toxiproxy down, say) is ended again and reported, never left half-applied.
        await options.onChange?.([...active.values()]);
      } catch (err) {
        await end(fault.id, 'controller', 'cleared');
        await changed();
        throw new FaultNotAppliedError(err);
      }
      logger.info({ faultId: fault.id, family: spec.family, target: spec.target, actor, expiresAt: fault.expiresAt }, 'fault injected');
      return fault;
    },

    async clear(id: string, actor: string): Promise<boolean> {
      const ended = await end(id, actor, 'cleared');
      if (ended) await changed();
      return ended;
    },

    /**
     * A service was redeployed: every fault bound to a release of it ends (whatever version: a
     * rollback or a fix-forward alike replace the bad release). Returns the faults it ended.
     */
    async clearRelease(service: string, actor: string): Promise<Fault[]> {
      const bound = [...active.values()].filter((f) => f.spec.release?.service === service);
      for (const fault of bound) await end(fault.id, actor, 'cleared', { release: fault.spec.release, reason: `${service} redeployed` });
      if (bound.length > 0) {
        logger.info({ actor, service, cleared: bound.map((f) => f.id) }, 'faults bound to a release cleared');
        await changed();
      }
      return bound;
    },

    /** The halt lever: every active fault ends now. Returns how many there were. */
    async halt(actor: string): Promise<number> {
      const ids = [...active.keys()];
      for (const id of ids) await end(id, actor, 'halted');
      await store.record(actor, 'halt', null, { cleared: ids });
      logger.warn({ actor, cleared: ids }, 'halt: every fault cleared');
      await changed();
      return ids.length;
    },

    /** A one-shot fault (worker exit) was carried out: agents stop being told about it. */
    async markExecuted(id: string, actor: string): Promise<void> {
      const fault = active.get(id);
      if (!fault || fault.executedAt) return;
      fault.executedAt = new Date(now());
      bump();
      await store.markExecuted(id, actor);
    },

    /**
     * Resolves when the version moves past `seen`, after `timeoutMs`, when `signal` aborts, or
     * at shutdown, whichever comes first: an agent's poll is held here instead of the agent asking
     * again every few hundred milliseconds (each ask costs both processes CPU, all day long).
     */
    changedSince(seen: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
      return changeWaiters.wait(version, seen, timeoutMs, signal);
    },

    /** Version of the active set as agents see it; it grows with every change. */
    get version(): number {
      return version;
    },

    get(id: string): Fault | undefined {
      return active.get(id);
    },

    list(): Fault[] {
      return [...active.values()];
    },

    /** Answers every held poll now: at shutdown, so that the HTTP server's close does not wait them out. */
    answerHeldPolls(): void {
      changeWaiters.wakeAll();
    },

    close(): void {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      changeWaiters.wakeAll();
    },
  };
}

export type FaultRegistry = ReturnType<typeof createFaultRegistry>;
