import { Redis } from 'ioredis';
import type { Logger } from '@firedrill/kit';
import type { Fault, FaultStore } from '../controller/fault-store.ts';

/** What a redis-memory-pressure fault changed, saved with the fault until it is reverted. */
export interface RedisMemoryState {
  previousMaxmemory: string;
  previousPolicy: string;
  /** Its batch job's keys: `${keyPrefix}<n>`, under batch:* like a real batch job's. */
  keyPrefix: string;
  maxmemory: number;
}

/** Value size of one batch key: big enough to fill memory in a few hundred writes. */
const valueBytes = 64 * 1024;
const mib = 1024 * 1024;

/** Where a fault's batch keys go; `redis-delete batch:*` (a trainee's lever) matches them. */
export function batchKeyPrefix(faultId: string): string {
  return `batch:export:${faultId.slice(-6)}:`;
}

export function isOutOfMemory(err: unknown): boolean {
  return /^OOM /.test((err as Error)?.message ?? '');
}

/**
 * Carries out redis-memory-pressure faults: the controller itself, not an agent, changes the
 * shop's Redis (reached directly, never through Toxiproxy). maxmemory drops with noeviction, and
 * in mode fill a "batch job" writes keys until Redis refuses, so the shop's writes fail with OOM.
 * When the fault ends, whatever ended it, the previous maxmemory and policy come back and its keys
 * are deleted. Declarative, like the network faults: each call makes Redis match the active set,
 * and what to undo is kept in the fault store, so a restarted controller still undoes it.
 *
 * A trainee's lever (raise maxmemory, delete the keys) is never fought: a fault is applied once,
 * not re-applied while it lasts.
 */
export function createRedisMemoryPressure(options: { redisUrl: string; store: FaultStore; logger: Logger }) {
  const { store, logger } = options;
  let client: Redis | undefined;
  const redis = () => {
    if (!client) {
      client = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000, enableOfflineQueue: true });
      client.on('error', () => {}); // failures reach the commands that need Redis; reconciliation retries
    }
    return client;
  };

  async function apply(fault: Fault): Promise<void> {
    if (fault.spec.family !== 'redis-memory-pressure') return;
    const spec = fault.spec;
    const r = redis();
    const [, previousMaxmemory = '0'] = (await r.config('GET', 'maxmemory')) as string[];
    const [, previousPolicy = 'noeviction'] = (await r.config('GET', 'maxmemory-policy')) as string[];
    const used = usedMemory(await r.info('memory'));
    const maxmemory = spec.mode === 'fill' ? spec.maxmemoryMb * mib : Math.max(used, 1);
    const state: RedisMemoryState = { previousMaxmemory, previousPolicy, keyPrefix: batchKeyPrefix(fault.id), maxmemory };
    await store.saveExecutorState(fault.id, { ...state });
    await r.config('SET', 'maxmemory-policy', 'noeviction');
    await r.config('SET', 'maxmemory', String(maxmemory));
    const written = spec.mode === 'fill' ? await fill(r, state) : 0;
    logger.warn({ faultId: fault.id, mode: spec.mode, maxmemory, usedBefore: used, batchKeys: written }, 'redis memory pressure applied');
  }

  /** The batch job: writes keys until Redis refuses (OOM), or twice maxmemory's worth at most. */
  async function fill(r: Redis, state: RedisMemoryState): Promise<number> {
    const value = 'x'.repeat(valueBytes);
    const most = Math.ceil((2 * state.maxmemory) / valueBytes);
    let written = 0;
    while (written < most) {
      const batch = r.pipeline();
      for (let i = 0; i < 16; i++) batch.set(`${state.keyPrefix}${written + i}`, value);
      const results = (await batch.exec()) ?? [];
      const refused = results.find(([err]) => err);
      written += results.filter(([err]) => !err).length;
      if (refused) {
        if (isOutOfMemory(refused[0])) break;
        throw refused[0];
      }
    }
    return written;
  }

  async function revert(id: string, state: RedisMemoryState): Promise<void> {
    const r = redis();
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${state.keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await r.unlink(...keys);
    } while (cursor !== '0');
    // Policy first: with the keys gone, restoring the old limit can no longer trigger evictions.
    await r.config('SET', 'maxmemory-policy', state.previousPolicy);
    await r.config('SET', 'maxmemory', state.previousMaxmemory);
    await store.markReverted(id, { maxmemory: state.previousMaxmemory, maxmemoryPolicy: state.previousPolicy, batchKeysDeleted: deleted });
    logger.info({ faultId: id, maxmemory: state.previousMaxmemory, batchKeysDeleted: deleted }, 'redis memory pressure reverted');
  }

  async function reconcile(active: readonly Fault[]): Promise<void> {
    const wanted = active.filter((f) => f.spec.family === 'redis-memory-pressure');
    const applied = await store.unreverted();
    if (wanted.length === 0 && applied.length === 0) return;
    const live = new Set(wanted.map((f) => f.id));
    for (const { id, state } of applied) {
      if (!live.has(id)) await revert(id, state as unknown as RedisMemoryState);
    }
    const done = new Set(applied.map((a) => a.id));
    for (const fault of wanted) {
      if (!done.has(fault.id)) await apply(fault);
    }
  }

  // One reconciliation at a time: a change and the periodic pass must never apply a fault twice.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    /**
     * Makes Redis match the active faults: reverts what ended (also before a restart), applies
     * what is new. The active set is read when the pass starts, never from a stale snapshot.
     */
    reconcile(active: () => readonly Fault[]): Promise<void> {
      const run = queue.then(() => reconcile(active()));
      queue = run.catch(() => {});
      return run;
    },

    close(): void {
      client?.disconnect();
    },
  };
}

export type RedisMemoryPressure = ReturnType<typeof createRedisMemoryPressure>;

function usedMemory(info: string): number {
  const match = /^used_memory:(\d+)/m.exec(info);
  if (!match) throw new Error('INFO memory did not report used_memory');
  return Number(match[1]);
}
