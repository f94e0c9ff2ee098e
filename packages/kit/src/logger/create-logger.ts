import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON lines to stdout (the lab runner writes them to a file per process, so a trainee can
 * `tail -f | jq`). Anything that could carry a secret is redacted by path.
 */
export function createLogger(
  service: string,
  level: string,
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          'token',
          '*.token',
          'password',
          '*.password',
          'config.databaseUrl',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
