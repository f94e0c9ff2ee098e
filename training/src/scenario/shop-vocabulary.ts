/**
 * The names scenario files may use for the shop, as fixed by the issue-9 design: services, their
 * default version, the runtime flags with their types, and the fault families the chaos catalogue
 * is gaining. One list here so the schema, the lever parser and the tests agree.
 */

export const services = ['api', 'payments', 'worker'] as const;
export type ServiceName = (typeof services)[number];

/** Every service runs this version unless a scenario deploys another. */
export const defaultVersion = '2.3.0';

export const flagDefinitions = {
  'payments.fraud-check': { type: 'boolean', default: false },
  'payments.secondary-gateway': { type: 'boolean', default: false },
  'api.payment-timeout-ms': { type: 'number', default: 2000 },
  'api.payment-retries': { type: 'number', default: 3 },
  'api.payments-circuit-breaker': { type: 'boolean', default: false },
  'api.degraded-mode': { type: 'boolean', default: false },
} as const satisfies Record<string, { type: 'boolean' | 'number'; default: boolean | number }>;

export type FlagName = keyof typeof flagDefinitions;
export type FlagValue = boolean | number;
export const flagNames = Object.keys(flagDefinitions) as FlagName[];

export function isFlagName(name: string): name is FlagName {
  return Object.hasOwn(flagDefinitions, name);
}

/**
 * Reads a flag value written as text (in a lever string) for the flag's type; a description of
 * what is expected when it does not fit.
 */
export function parseFlagValue(name: FlagName, text: string): { value: FlagValue } | { error: string } {
  const { type } = flagDefinitions[name];
  if (type === 'boolean') {
    if (text === 'true' || text === 'false') return { value: text === 'true' };
    return { error: `flag ${name} takes true or false, not "${text}"` };
  }
  if (!/^\d+$/.test(text)) return { error: `flag ${name} takes a whole number, not "${text}"` };
  return { value: Number(text) };
}

/** Checks a flag value given as YAML (a boolean or a number) against the flag's type. */
export function flagValueError(name: FlagName, value: unknown): string | undefined {
  const { type } = flagDefinitions[name];
  if (type === 'boolean') return typeof value === 'boolean' ? undefined : `flag ${name} takes true or false`;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? undefined : `flag ${name} takes a whole number`;
}

/**
 * Families another part of issue 9 adds to the chaos catalogue. Until their schemas are exported
 * by @firedrill/chaos, a scenario names them and their settings pass through unchecked.
 */
export const pendingFaultFamilies = ['pool-leak', 'memory-leak', 'redis-memory-pressure', 'retry-amplification'] as const;
