import type { Redis } from 'ioredis';

/** How much one redis-delete may do: a lever, not a way to stall Redis with one huge sweep. */
export const redisDeleteBounds = { maxKeys: 100_000, maxMs: 10_000, scanCount: 1_000 } as const;

export interface DeleteOutcome {
  deleted: number;
  /** Keys of the fulfilment queue that matched and were kept (see deleteKeys). */
  keptQueueKeys: number;
  /** False when a bound stopped the sweep before SCAN had visited every key. */
  complete: boolean;
}

/**
 * The Redis levers, on a direct connection to the shop's Redis (not through Toxiproxy: the
 * operator's admin access must work while the shop's path is the thing that is broken).
 */
export function createRedisLevers(redis: Redis, queuePrefix: string, bounds = redisDeleteBounds) {
  return {
    /** CONFIG SET maxmemory; answers what it was before and what it is now, in bytes. */
    async setMaxMemory(megabytes: number): Promise<{ previousBytes: number; bytes: number }> {
      const [, previous = '0'] = (await redis.config('GET', 'maxmemory')) as string[];
      await redis.config('SET', 'maxmemory', `${megabytes}mb`);
      const [, now = '0'] = (await redis.config('GET', 'maxmemory')) as string[];
      return { previousBytes: Number(previous), bytes: Number(now) };
    },

    /**
     * Deletes the keys matching `pattern` with SCAN + UNLINK (never KEYS, which blocks Redis),
     * bounded in keys and time. The fulfilment queue's keys are kept whatever the pattern: they
     * hold accepted orders on their way to fulfilment, and the lab promises none is lost (a poison
     * job has its own lever, dead-letter).
     */
    async deleteKeys(pattern: string): Promise<DeleteOutcome> {
      const queueKeys = `${queuePrefix}:`;
      const deadline = Date.now() + bounds.maxMs;
      let cursor = '0';
      let deleted = 0;
      let keptQueueKeys = 0;
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', bounds.scanCount);
        cursor = next;
        const doomed = keys.filter((key) => !key.startsWith(queueKeys)).slice(0, bounds.maxKeys - deleted);
        keptQueueKeys += keys.length - keys.filter((key) => !key.startsWith(queueKeys)).length;
        if (doomed.length > 0) deleted += await redis.unlink(...doomed);
      } while (cursor !== '0' && deleted < bounds.maxKeys && Date.now() < deadline);
      return { deleted, keptQueueKeys, complete: cursor === '0' };
    },
  };
}

export type RedisLevers = ReturnType<typeof createRedisLevers>;
