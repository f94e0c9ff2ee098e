import { type FlagName, type FlagValue, isFlagName, parseFlagValue, type ServiceName, services } from './shop-vocabulary.ts';

/**
 * Levers as scenario files name them: one string each, e.g. "rollback payments",
 * "flag payments.fraud-check false", "scale worker 3". Parsed here so a typo fails when the
 * scenario loads, not when a trainee pulls the lever mid-run.
 */
export type Lever =
  | { kind: 'restart'; service: ServiceName }
  | { kind: 'rollback'; service: ServiceName }
  | { kind: 'deploy'; service: ServiceName; version: string }
  | { kind: 'flag'; name: FlagName; value: FlagValue }
  | { kind: 'failover'; service: 'payments' }
  | { kind: 'scale'; service: 'worker'; count: number }
  | { kind: 'dead-letter'; jobId: string }
  | { kind: 'end-db-sessions' }
  | { kind: 'redis-maxmemory'; mb: number }
  | { kind: 'redis-delete'; pattern: string };

export const leverForms = [
  'restart <api|payments|worker>',
  'rollback <api|payments|worker>',
  'deploy <service> <version>',
  'flag <name> <value>',
  'failover payments',
  'scale worker <n>',
  'dead-letter <jobId>',
  'end-db-sessions',
  'redis-maxmemory <mb>',
  'redis-delete <pattern>',
] as const;

const semver = /^\d+\.\d+\.\d+$/;
const wholeNumber = /^[1-9]\d*$/;

function service(word: string | undefined): ServiceName | undefined {
  return services.find((name) => name === word);
}

/** A lever string → the lever, or why it is not one. */
export function parseLever(text: string): { lever: Lever } | { error: string } {
  const words = text.trim().split(/\s+/);
  const [verb, first, second] = words;
  const arity = (n: number) => words.length === n + 1;
  const usage = (form: string) => ({ error: `"${text}" is not a lever: expected "${form}"` });
  switch (verb) {
    case 'restart':
    case 'rollback': {
      const target = service(first);
      return target && arity(1) ? { lever: { kind: verb, service: target } } : usage(`${verb} <api|payments|worker>`);
    }
    case 'deploy': {
      const target = service(first);
      return target && second && semver.test(second) && arity(2)
        ? { lever: { kind: 'deploy', service: target, version: second } }
        : usage('deploy <service> <x.y.z>');
    }
    case 'flag': {
      if (!first || !second || !arity(2)) return usage('flag <name> <value>');
      if (!isFlagName(first)) return { error: `"${text}": unknown flag "${first}"` };
      const parsed = parseFlagValue(first, second);
      return 'error' in parsed ? { error: `"${text}": ${parsed.error}` } : { lever: { kind: 'flag', name: first, value: parsed.value } };
    }
    case 'failover':
      return first === 'payments' && arity(1) ? { lever: { kind: 'failover', service: 'payments' } } : usage('failover payments');
    case 'scale':
      return first === 'worker' && second && wholeNumber.test(second) && Number(second) <= 16 && arity(2)
        ? { lever: { kind: 'scale', service: 'worker', count: Number(second) } }
        : usage('scale worker <1-16>');
    case 'dead-letter':
      return first && arity(1) ? { lever: { kind: 'dead-letter', jobId: first } } : usage('dead-letter <jobId>');
    case 'end-db-sessions':
      return arity(0) ? { lever: { kind: 'end-db-sessions' } } : usage('end-db-sessions');
    case 'redis-maxmemory':
      return first && wholeNumber.test(first) && arity(1) ? { lever: { kind: 'redis-maxmemory', mb: Number(first) } } : usage('redis-maxmemory <mb>');
    case 'redis-delete':
      return first && arity(1) ? { lever: { kind: 'redis-delete', pattern: first } } : usage('redis-delete <pattern>');
    default:
      return { error: `"${text}" is not a lever: it starts with one of ${leverForms.map((form) => form.split(' ')[0]).join(', ')}` };
  }
}

/** "failover payments" is the same action as switching the secondary gateway on. */
function normalise(lever: Lever): Lever {
  return lever.kind === 'failover' ? { kind: 'flag', name: 'payments.secondary-gateway', value: true } : lever;
}

/**
 * In a scenario, "dead-letter poison" names the poison job the step's fault plants, whose id is
 * only known once the run has injected it.
 */
export const poisonJob = 'poison';

/**
 * Whether a lever someone applied counts as a lever a scenario lists (in `endsWith` or `eases`).
 * Equal levers match; a failover matches the flag it sets; scaling or raising Redis' limit to at
 * least the listed figure matches, since more of either helps as much; "dead-letter poison"
 * matches dead-lettering any of the run's poison jobs.
 */
export function leverMatches(listed: Lever, applied: Lever, context: { poisonJobIds?: readonly string[] } = {}): boolean {
  const want = normalise(listed);
  const got = normalise(applied);
  if (want.kind === 'scale' && got.kind === 'scale') return got.count >= want.count;
  if (want.kind === 'redis-maxmemory' && got.kind === 'redis-maxmemory') return got.mb >= want.mb;
  if (want.kind === 'dead-letter' && got.kind === 'dead-letter' && want.jobId === poisonJob) return context.poisonJobIds?.includes(got.jobId) ?? false;
  return JSON.stringify(want) === JSON.stringify(got);
}
