import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/** Config keys and fields that hold a URL with credentials in it. */
const urlKeys = ['DATABASE_URL', 'LAB_DATABASE_URL', 'REDIS_URL', 'connectionString', 'databaseUrl', 'redisUrl'];
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

/**
 * JSON lines to stdout (the lab runner writes them to a file per process, so a trainee can
 * `tail -f | jq`). Anything that could carry a secret is redacted by path.
 */
export function createLogger(service: string, level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor },
    },
    destination,
  );
}
