import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/** Config keys and fields that hold a URL with credentials in it. */
const urlKeys = [
  'DATABASE_URL',
  'LAB_DATABASE_URL',
  'SHOP_ADMIN_DATABASE_URL',
  'REDIS_URL',
  'REDIS_ADMIN_URL',
  'DATA_SOURCE_NAME',
  'connectionString',
  'databaseUrl',
  'redisUrl',
  'shopAdminDatabaseUrl',
];
/** Keys whose whole value is a secret. */
const secretKeys = ['authorization', 'cookie', 'token', 'password', 'secret'];

/**
 * Paths pino redacts: each key at the top of a log line and one level down (`config.DATABASE_URL`,
 * `err.password`), plus request headers. pino's paths are exact, so every key a secret is logged
 * under is named here; logger.test.ts logs each one and checks the secret never appears.
 */
const redactPaths = [
  ...[...urlKeys, ...secretKeys].flatMap((key) => [key, `*.${key}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

/** Keeps a URL readable (host, port, database) but masks its password; any other secret goes entirely. */
function censor(value: unknown, path: string[]): string {
  const key = path.at(-1) ?? '';
  if (urlKeys.includes(key) && typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.password) url.password = 'redacted';
      return url.toString();
    } catch {
      return '[redacted]';
    }
  }
  return '[redacted]';
}

/** Who writes a log line: the service, and the release it runs when it is a shop service. */
export type LogIdentity = string | { service: string; version: string };

/**
 * JSON lines to stdout (the lab runner writes them to a file per process, so a trainee can
 * `tail -f | jq`). Every line names the service and, for a shop service, its version, so lines
 * from before and after a deploy tell themselves apart. Anything that could carry a secret is
 * redacted by path.
 *
 * Each line is written synchronously, on the event loop's own thread. pino's default hands every
 * line to libuv's thread pool (one thread wake-up, then one more to report back): on the lab's
 * 2-core VM those wake-ups cost more CPU than the write to the page cache they wrap (decision
 * 0003), and a line still in the pool is lost when the worker-death fault SIGKILLs the process.
 */
export function createLogger(identity: LogIdentity, level: string, destination: DestinationStream = pino.destination({ dest: 1, sync: true })): Logger {
  return pino(
    {
      level,
      base: typeof identity === 'string' ? { service: identity } : { service: identity.service, version: identity.version },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor },
    },
    destination,
  );
}
