import { z } from 'zod';

export type FlagValue = boolean | number;

export interface FlagDefinition {
  type: 'boolean' | 'number';
  default: FlagValue;
  description: string;
  /** For numbers: the values a change may set (a timeout of -1 ms is a typo, not a lever). */
  min?: number;
  max?: number;
}

/**
 * Every flag the shop evaluates, with its type and default (fixed by the issue 9 design; the
 * services' LabFlagProvider falls back to the same defaults when the lab cannot be reached).
 */
export const flagCatalogue = {
  'payments.fraud-check': { type: 'boolean', default: false, description: 'payments: synchronous fraud scoring of each charge' },
  'payments.secondary-gateway': { type: 'boolean', default: false, description: 'payments: charge through the secondary card gateway' },
  'api.payment-timeout-ms': {
    type: 'number',
    default: 2000,
    min: 50,
    max: 60_000,
    description: 'api: per-attempt payments timeout (overrides PAYMENTS_TIMEOUT_MS)',
  },
  'api.payment-retries': { type: 'number', default: 3, min: 1, max: 10, description: 'api: attempts per charge (overrides PAYMENTS_ATTEMPTS)' },
  'api.payments-circuit-breaker': {
    type: 'boolean',
    default: false,
    description: 'api: open after consecutive payment failures, fail fast, probe half-open',
  },
  'api.degraded-mode': {
    type: 'boolean',
    default: false,
    description: 'api: catalogue served, POST /api/orders answered 503 with Retry-After, nothing accepted',
  },
} as const satisfies Record<string, FlagDefinition>;

export type FlagName = keyof typeof flagCatalogue;

export const flagNames = Object.keys(flagCatalogue) as FlagName[];

export function isFlagName(name: string): name is FlagName {
  return Object.hasOwn(flagCatalogue, name);
}

export function flagDefinition(name: FlagName): FlagDefinition {
  return flagCatalogue[name];
}

/** The zod schema of one flag's value, as a JSON body carries it. */
export function flagValueSchema(name: FlagName): z.ZodType<FlagValue> {
  const definition = flagDefinition(name);
  if (definition.type === 'boolean') return z.boolean();
  return z
    .number()
    .int()
    .min(definition.min ?? 0)
    .max(definition.max ?? Number.MAX_SAFE_INTEGER);
}

/** A value typed on a command line or in a scenario file ("true", "1500") for this flag, or why not. */
export function parseFlagText(name: FlagName, text: string): { value: FlagValue } | { error: string } {
  const definition = flagDefinition(name);
  let candidate: unknown = text;
  if (definition.type === 'boolean') {
    if (text !== 'true' && text !== 'false') return { error: `${name} is a boolean flag: give true or false, not "${text}"` };
    candidate = text === 'true';
  } else {
    if (!/^-?\d+$/.test(text)) return { error: `${name} is a whole number: "${text}" is not one` };
    candidate = Number(text);
  }
  const parsed = flagValueSchema(name).safeParse(candidate);
  if (!parsed.success) return { error: `${name}: ${parsed.error.issues[0]?.message ?? 'invalid value'}` };
  return { value: parsed.data };
}
