import { z } from 'zod';

/** Thrown at start-up when the environment does not satisfy a service's config schema. */
export class ConfigError extends Error {
  readonly issues: readonly string[];
  constructor(service: string, issues: readonly string[]) {
    super(`${service}: invalid configuration\n  - ${issues.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/**
 * Parses the environment once, at start-up, into a frozen typed object. Nothing reads
 * process.env after this: the result is passed down, and tests pass plain objects instead.
 */
export function loadConfig<S extends z.ZodType>(service: string, schema: S, env: Record<string, string | undefined> = process.env): Readonly<z.output<S>> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      return `${name}: ${issue.message}`;
    });
    throw new ConfigError(service, issues);
  }
  return Object.freeze(parsed.data);
}

/** Env helpers: every variable is a string, so numbers and booleans are coerced with limits. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(fallback),
  number: (fallback: number, min = -Infinity, max = Infinity) => z.coerce.number().min(min).max(max).default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1'),
  url: (fallback: string) => z.url().default(fallback),
  string: (fallback: string) => z.string().min(1).default(fallback),
  logLevel: () => z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /**
   * A setting that holds JSON, checked by `schema`; unset or empty reads as `empty`. `shape` shows
   * the expected form when the text is not JSON; a schema's issues name the path inside it.
   */
  json: <S extends z.ZodType>(name: string, schema: S, shape: string, empty: z.output<S>) =>
    z
      .string()
      .optional()
      .transform((text, ctx): z.output<S> => {
        if (!text) return empty;
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          ctx.addIssue({ code: 'custom', message: `${name} must be JSON: ${shape}` });
          return z.NEVER;
        }
        const parsed = schema.safeParse(json);
        if (!parsed.success) {
          ctx.addIssue({ code: 'custom', message: `${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
          return z.NEVER;
        }
        return parsed.data;
      }),
};
