import { Redis } from 'ioredis';
import type { Logger } from '@firedrill/kit';
import type { Fault, FaultStore } from '../controller/fault-store.ts';
import type { FaultSpec } from '../faults/catalogue.ts';
import type { RedisServers } from './redis-servers.ts';

/** What a redis-memory-pressure fault changed, saved with the fault until it is reverted. */
export interface RedisMemoryState {
  previousMaxmemory: string;
  previousPolicy: string;
  /** Its batch job's keys: `${keyPrefix}<n>`, under batch:* like a real batch job's. */
  keyPrefix: string;
  /** The maxmemory it set (null while being applied). */
  maxmemory: number | null;
  /** The server it pressed (RedisServers' key: '' the single lab's, the team's in a class); absent in states saved before classes had their own. */
  server?: string;
}

/** Value size of one batch key: big enough to fill memory in a few hundred writes. */
const valueBytes = 64 * 1024;
const mib = 1024 * 1024;

/** Where a fault's batch keys go; `redis-delete batch:*` (a trainee's lever) matches them. */
export function batchKeyPrefix(faultId: string): string {
  return `batch:export:${faultId.slice(-6)}:`;
}

/**
 * Why a redis-memory-pressure fault is refused (409), or undefined when it may be injected: on any
 * one server, two at once are refused — each would remember the other's maxmemory as "the previous
 * one". Which server it presses (a class: the fault's team's own) is the controller's fault-team rule
 * (fault-team-rule.ts): a class's fault names one of its teams.
 */
export function redisMemoryPressureRefusal(spec: FaultSpec, active: readonly Pick<Fault, 'id' | 'spec'>[], servers: RedisServers): string | undefined {
  if (spec.family !== 'redis-memory-pressure') return undefined;
  const server = servers.keyOf(spec.team);
  if (server === undefined) return undefined;
  const pressing = active.find((f) => f.spec.family === 'redis-memory-pressure' && servers.keyOf(f.spec.team) === server);
  if (!pressing) return undefined;
  return `A redis-memory-pressure fault is already active${server === '' ? '' : ` on team ${server}'s Redis`} (${pressing.id}); clear it first`;
}

export function isOutOfMemory(err: unknown): boolean {
  return /^OOM /.test((err as Error)?.message ?? '');
}

/**
 * Carries out redis-memory-pressure faults: the controller itself, not an agent, changes the
 * shop's Redis (reached directly, never through Toxiproxy; in a class, the fault's team's own). In mode fill a "batch job" first
 * writes keys until about maxmemoryMb are in use; then maxmemory drops just under what is in use,
 * with noeviction, so every write of the shop fails with OOM until someone makes room.
 * When the fault ends, whatever ended it, the previous maxmemory and policy come back and its keys
 * are deleted. Declarative, like the network faults: each call makes Redis match the active set,
 * and what to undo is kept in the fault store, so a restarted controller still undoes it.
 *
 * A trainee's lever (raise maxmemory, delete the keys) is never fought: a fault is applied once,
 * not re-applied while it lasts.
 */
export function createRedisMemoryPressure(options: { servers: RedisServers; store: FaultStore; logger: Logger }) {
  const { store, logger, servers } = options;
  /** One admin connection per server, opened when a fault first needs it. */
  const clients = new Map<string, Redis>();
  const redis = (server: string) => {
    let client = clients.get(server);
    if (!client) {
      const url = servers.urlOf(server);
      if (url === undefined) throw new Error(`no Redis server "${server}" in this lab`);
      client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000, enableOfflineQueue: true });
      client.on('error', () => {}); // failures reach the commands that need Redis; reconciliation retries
      clients.set(server, client);
    }
    return client;
  };

  async function apply(fault: Fault): Promise<void> {
    if (fault.spec.family !== 'redis-memory-pressure') return;
    const spec = fault.spec;
    // Refused at injection when there is none (redisServerRefusal); a fault restored from the
    // journal of another lab's shape has no server here, and is left alone.
    const server = servers.keyOf(spec.team);
    if (server === undefined) {
      logger.warn({ faultId: fault.id, team: spec.team }, 'redis memory pressure has no server in this lab: not applied');
      return;
    }
    const r = redis(server);
    const [, previousMaxmemory = '0'] = (await r.config('GET', 'maxmemory')) as string[];
    const [, previousPolicy = 'noeviction'] = (await r.config('GET', 'maxmemory-policy')) as string[];
    const usedBefore = usedMemory(await r.info('memory'));
    const keyPrefix = batchKeyPrefix(fault.id);
    // Saved before anything changes: whatever happens next, the restore knows what was there.
    await store.saveExecutorState(fault.id, { previousMaxmemory, previousPolicy, keyPrefix, maxmemory: null, server }, { journal: false });
    await r.config('SET', 'maxmemory-policy', 'noeviction');
    const written = spec.mode === 'fill' ? await fill(r, keyPrefix, spec.maxmemoryMb * mib) : 0;
    const used = usedMemory(await r.info('memory'));
    const maxmemory = belowUse(used);
    await r.config('SET', 'maxmemory', String(maxmemory));
    const state: RedisMemoryState = { previousMaxmemory, previousPolicy, keyPrefix, maxmemory, server };
    await store.saveExecutorState(fault.id, { ...state, batchKeys: written }, { journal: true });
    logger.warn({ faultId: fault.id, team: spec.team, mode: spec.mode, maxmemory, usedBefore, used, batchKeys: written }, 'redis memory pressure applied');
  }

  /** The batch job: writes keys until `bytes` are in use (or Redis refuses), twice that much data at most. */
  async function fill(r: Redis, keyPrefix: string, bytes: number): Promise<number> {
    const value = 'x'.repeat(valueBytes);
    const most = Math.ceil((2 * bytes) / valueBytes);
    let written = 0;
    while (written < most && usedMemory(await r.info('memory')) < bytes) {
      const batch = r.pipeline();
      for (let i = 0; i < 16; i++) batch.set(`${keyPrefix}${written + i}`, value);
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
    const r = redis(state.server ?? '');
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
      for (const client of clients.values()) client.disconnect();
    },
  };
}

export type RedisMemoryPressure = ReturnType<typeof createRedisMemoryPressure>;

/**
 * A maxmemory clearly under what is in use: Redis refuses writes only while use exceeds it, and
 * use moves (client buffers come and go), so a limit at use itself would let small writes through.
 */
export function belowUse(used: number): number {
  return Math.max(64 * 1024, used - Math.max(512 * 1024, Math.round(used * 0.1)));
}

function usedMemory(info: string): number {
  const match = /^used_memory:(\d+)/m.exec(info);
  if (!match) throw new Error('INFO memory did not report used_memory');
  return Number(match[1]);
}
