import { z } from 'zod';
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

/** The release every shop service runs unless the lab deploys another. */
export const defaultServiceVersion = '2.3.0';

/** A shop service: where it listens, how much it logs, which release it is, and how long a readiness check may take. */
export const serviceSettings = (defaultPort: number) => ({
  ...listenSettings(defaultPort),
  /** The release this process runs (semver): in every log line and in shop_build_info. The lab sets it when it deploys. */
  SERVICE_VERSION: z
    .string()
    .regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, 'must be a version such as 2.3.0')
    .default(defaultServiceVersion),
  /** Each dependency check of /health/ready gives up after this long and reports the dependency down. */
  READY_TIMEOUT_MS: env.int(1000, 50, 10_000),
});

/** The shop's Postgres (reached through Toxiproxy in the lab) and the size of the service's pool. */
export const databaseSettings = (defaultPoolMax: number) => ({
  DATABASE_URL: env.string('postgres://postgres@127.0.0.1:7410/shop'),
  DB_POOL_MAX: env.int(defaultPoolMax, 1, 200),
});

/**
 * Where a service reads its feature flags (the lab's flags API) and how often. Without FLAGS_URL
 * every flag keeps its default. The lab's flags API takes the same token as the chaos agent
 * (CHAOS_AGENT_TOKEN_FILE, declared by the agent's fragment).
 */
export const flagSettings = {
  FLAGS_URL: z.url().optional(),
  /** A change reaches every instance within one poll plus one answer, so 500 ms keeps it under a second. */
  FLAGS_POLL_MS: env.int(500, 50, 60_000),
};
