import { env } from './load-config.ts';

/**
 * Schema fragments for the settings every service shares, declared once. A service spreads the
 * ones it needs into its own schema with the defaults that differ (its port, its pool size).
 */

/** Where a process listens and how much it logs. */
export const listenSettings = (defaultPort: number) => ({
  HOST: env.string('127.0.0.1'),
  PORT: env.port(defaultPort),
  LOG_LEVEL: env.logLevel(),
});

/** A shop service: where it listens, how much it logs, and how long a readiness check may take. */
export const serviceSettings = (defaultPort: number) => ({
  ...listenSettings(defaultPort),
  /** Each dependency check of /health/ready gives up after this long and reports the dependency down. */
  READY_TIMEOUT_MS: env.int(1000, 50, 10_000),
});

/** The shop's Postgres (reached through Toxiproxy in the lab) and the size of the service's pool. */
export const databaseSettings = (defaultPoolMax: number) => ({
  DATABASE_URL: env.string('postgres://postgres@127.0.0.1:7410/shop'),
  DB_POOL_MAX: env.int(defaultPoolMax, 1, 200),
});
