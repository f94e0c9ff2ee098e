import type { EventEmitter } from 'node:events';
import type { Logger } from '@firedrill/kit';
import type { FaultAgent } from './fault-agent.ts';

/** The parts of a pg client the leak touches. */
export interface PoolClientLike extends EventEmitter {
  release: (err?: Error | boolean) => void;
}

type ConnectCallback = (err: Error | undefined, client: PoolClientLike | undefined, done: (err?: Error | boolean) => void) => void;

/**
 * The parts of a pg.Pool the leak touches: its checkout, in both forms (pool.query checks out
 * with a callback, transactions with the promise).
 */
export interface PoolLike {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloads (callback or promise) in one signature
  connect: (...args: any[]) => any;
}

interface LeakedClient {
  faultId: string;
  release: (err?: Error | boolean) => void;
  /** Set when its connection died while leaked: it is destroyed on release, not pooled again. */
  broken: boolean;
}

export interface PoolLeak {
  /** Clients held now. */
  readonly leaked: number;
  /** Gives every held client back and stops leaking. */
  close(): void;
}

/**
 * The one connection path through which the pool-leak fault reaches a service: it wraps the
 * pool's checkout, and on a share of checkouts the client's `release` is swallowed, as when an error path forgets to release it.
 * The caller never knows; the pool slowly runs dry. Held clients are given back when their fault
 * ends (clear, halt, expiry, the controller lost) or the agent closes; a restarted process starts
 * with a full pool — and, while the fault lasts, leaks again.
 */
export function leakPoolClients(pool: PoolLike, agent: FaultAgent, options: { logger: Logger; random?: () => number }): PoolLeak {
  const random = options.random ?? Math.random;
  const held = new Set<LeakedClient>();

  const giveBack = (keep: (client: LeakedClient) => boolean) => {
    let released = 0;
    for (const client of held) {
      if (keep(client)) continue;
      held.delete(client);
      client.release(client.broken || undefined);
      released++;
    }
    if (released > 0) options.logger.debug({ released }, 'leaked database clients released');
  };

  /** A client just checked out: on a share of checkouts, its release is swallowed. */
  const intercept = (client: PoolClientLike) => {
    if (agent.idle) return;
    const fault = agent.active('pool-leak').find((f) => random() < f.rate);
    if (!fault) return;
    const leaked: LeakedClient = { faultId: fault.id, release: client.release, broken: false };
    // pg-pool gives each checkout its own `release`; the caller (or pool.query) calls this one.
    client.release = () => {};
    // A checked-out client has no error listener of the pool's: a connection dying while held
    // must not crash the process.
    client.on('error', () => {
      leaked.broken = true;
    });
    held.add(leaked);
  };

  if (!agent.enabled) return { leaked: 0, close: () => {} };
  const connect = pool.connect;
  pool.connect = (...args: unknown[]) => {
    const callback = args[0] as ConnectCallback | undefined;
    if (typeof callback === 'function') {
      return connect.call(pool, (err: Error | undefined, client: PoolClientLike | undefined, done: (err?: Error | boolean) => void) => {
        if (!err && client) intercept(client);
        callback(err, client, client ? client.release : done);
      });
    }
    return (connect.call(pool) as Promise<PoolClientLike>).then((client) => {
      intercept(client);
      return client;
    });
  };
  const unsubscribe = agent.onChange(() => {
    const live = new Set(agent.active('pool-leak').map((f) => f.id));
    giveBack((client) => live.has(client.faultId));
  });

  return {
    get leaked() {
      return held.size;
    },
    close() {
      unsubscribe();
      pool.connect = connect;
      giveBack(() => false);
    },
  };
}
