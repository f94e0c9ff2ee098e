import pg from 'pg';
import type { Logger } from '../logger/index.ts';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolOptions {
  connectionString: string;
  max?: number;
  /** Time to get a connection; beyond it the request fails fast instead of queueing forever. */
  connectTimeoutMs?: number;
  /** Client-side cap on a query, so a black-holed database cannot hang a request. */
  queryTimeoutMs?: number;
}

export function createPool(options: PoolOptions, logger: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 2_000,
    query_timeout: options.queryTimeoutMs ?? 5_000,
    statement_timeout: options.queryTimeoutMs ?? 5_000,
    idleTimeoutMillis: 10_000,
    keepAlive: true,
  });
  // An idle client whose connection dies emits here; without a listener the process would crash.
  // (Message and code only: the error carries the whole client object, which buries the log line.)
  pool.on('error', (err) => logger.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'idle database connection lost'));
  return pool;
}

/** Runs fn in a transaction, committing on success and rolling back on any error. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no error listener of the pool's: if its connection dies between two
  // queries it would emit an unhandled 'error' and crash the process. The failure reaches the
  // caller through the next query anyway, so the event itself is only swallowed here.
  const ignoreLostConnection = () => {};
  client.on('error', ignoreLostConnection);
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    // A client whose connection broke mid-transaction is destroyed, not returned to the pool;
    // it keeps the listener, since it may still report its own end.
    client.release(broken);
    if (!broken) client.off('error', ignoreLostConnection);
  }
}

const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);

/** True for failures to reach the database (as opposed to a bad query), which merit a 503. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.code && connectionErrorCodes.has(e.code)) return true;
  const message = e.message ?? '';
  return /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection timeout|Client has encountered a connection error/i.test(
    message,
  );
}
