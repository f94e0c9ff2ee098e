import pg from 'pg';
import { Redis } from 'ioredis';

/** Answers true when the process serves its purpose right now; never throws, never hangs. */
export type HealthCheck = () => Promise<boolean>;

const checkTimeoutMs = 1_000;

/** `headers`: for a process that wants credentials even on its health route (Prometheus behind basic auth). */
export function httpOk(url: string, headers?: () => Record<string, string>): HealthCheck {
  return async () => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(checkTimeoutMs), headers: headers?.() ?? {} });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  };
}

export function postgresAnswers(url: string): HealthCheck {
  return async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: checkTimeoutMs, query_timeout: checkTimeoutMs });
    client.on('error', () => {});
    try {
      await client.connect();
      return (await client.query('SELECT 1')).rowCount === 1;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  };
}

export function redisAnswers(url: string): HealthCheck {
  return async () => {
    const client = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: checkTimeoutMs,
      commandTimeout: checkTimeoutMs,
    });
    client.on('error', () => {}); // a refused connection is the answer, not an error to report
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  };
}
