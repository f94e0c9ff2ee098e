import { maxWorkers } from '@firedrill/lab-infra/port-layout';
import { isFlagName, parseFlagText, type FlagName, type FlagValue } from '../flags/flag-catalogue.ts';
import { shopServices, versionSchema, type ShopService } from '../releases/release-history.ts';
import { responders, type Role } from '../ops/identity.ts';

/** One lever as the ops API applies it; scenario files name them as text ("rollback payments"). */
export type Lever =
  | { kind: 'restart'; service: ShopService }
  | { kind: 'rollback'; service: ShopService }
  | { kind: 'deploy'; service: ShopService; version: string }
  | { kind: 'flag'; flag: FlagName; value: FlagValue }
  | { kind: 'failover'; service: 'payments' }
  | { kind: 'scale'; service: 'worker'; count: number }
  | { kind: 'dead-letter'; jobId: string }
  | { kind: 'end-db-sessions' }
  | { kind: 'redis-maxmemory'; megabytes: number }
  | { kind: 'redis-delete'; pattern: string };

export type LeverKind = Lever['kind'];

/** How each lever is written, for help texts and error messages. */
export const leverUsage: Record<LeverKind, string> = {
  restart: 'restart <api|payments|worker>',
  rollback: 'rollback <api|payments|worker>',
  deploy: 'deploy <api|payments|worker> <version>',
  flag: 'flag <name> <value>',
  failover: 'failover payments',
  scale: `scale worker <1-${maxWorkers}>`,
  'dead-letter': 'dead-letter <job id>',
  'end-db-sessions': 'end-db-sessions',
  'redis-maxmemory': 'redis-maxmemory <megabytes>',
  'redis-delete': 'redis-delete <pattern>',
};

/** Redis maxmemory a lever may set: enough to matter, never more than the machine could give. */
export const redisMaxMemoryLimits = { min: 16, max: 16_384 } as const;

/** A BullMQ job id as the lab's jobs carry them (order ids, "poison" test jobs). */
const jobIdPattern = /^[A-Za-z0-9:_.-]{1,128}$/;
/** A Redis glob: printable ASCII without spaces, so it means the same in a log line and on the wire. */
const redisPatternPattern = /^[\x21-\x7e]{1,200}$/;

/** Who may pull a lever: a deploy is the instructor's (a scenario's bad release); the rest are trainee means. */
export function rolesFor(lever: Lever): readonly Role[] {
  return lever.kind === 'deploy' ? ['instructor'] : responders;
}

export type LeverParse = { ok: true; lever: Lever } | { ok: false; error: string };

const service = (word: string | undefined, lever: LeverKind): ShopService | string => {
  if (word !== undefined && (shopServices as readonly string[]).includes(word)) return word as ShopService;
  return `"${leverUsage[lever]}": ${word === undefined ? 'name the service' : `no service "${word}"`} (the shop's services: ${shopServices.join(', ')})`;
};

/** Parses a lever as scenario files and the CLI write it: "rollback payments", "scale worker 3". */
export function parseLever(text: string): LeverParse {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [kind, ...args] = words;
  const fail = (error: string): LeverParse => ({ ok: false, error });
  const arity = (n: number) =>
    args.length === n ? undefined : fail(`"${leverUsage[kind as LeverKind]}" takes ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`);
  switch (kind) {
    case 'restart':
    case 'rollback': {
      const bad = arity(1);
      if (bad) return bad;
      const svc = service(args[0], kind);
      return isService(svc) ? { ok: true, lever: { kind, service: svc } } : fail(svc);
    }
    case 'deploy': {
      const bad = arity(2);
      if (bad) return bad;
      const svc = service(args[0], kind);
      if (!isService(svc)) return fail(svc);
      const version = versionSchema.safeParse(args[1]);
      return version.success
        ? { ok: true, lever: { kind, service: svc, version: version.data } }
        : fail(`deploy: "${args[1]}" must be a semantic version such as 2.4.0`);
    }
    case 'flag': {
      const bad = arity(2);
      if (bad) return bad;
      const [name = '', valueText = ''] = args;
      if (!isFlagName(name)) return fail(`flag: no flag "${name}" (\`lab flags\` lists them)`);
      const parsed = parseFlagText(name, valueText);
      return 'error' in parsed ? fail(`flag: ${parsed.error}`) : { ok: true, lever: { kind, flag: name, value: parsed.value } };
    }
    case 'failover': {
      const bad = arity(1);
      if (bad) return bad;
      return args[0] === 'payments'
        ? { ok: true, lever: { kind, service: 'payments' } }
        : fail(`failover: only payments fails over (to its secondary card gateway), not "${args[0]}"`);
    }
    case 'scale': {
      const bad = arity(2);
      if (bad) return bad;
      if (args[0] !== 'worker') return fail(`scale: only the worker scales, not "${args[0]}"`);
      const count = wholeNumber(args[1]);
      return count !== undefined && count >= 1 && count <= maxWorkers
        ? { ok: true, lever: { kind, service: 'worker', count } }
        : fail(`scale: the worker runs 1 to ${maxWorkers} processes, not "${args[1]}"`);
    }
    case 'dead-letter': {
      const bad = arity(1);
      if (bad) return bad;
      return jobIdPattern.test(args[0]!)
        ? { ok: true, lever: { kind, jobId: args[0]! } }
        : fail(`dead-letter: "${args[0]}" is not a job id (\`lab queue\` lists them)`);
    }
    case 'end-db-sessions':
      return arity(0) ?? { ok: true, lever: { kind } };
    case 'redis-maxmemory': {
      const bad = arity(1);
      if (bad) return bad;
      const megabytes = wholeNumber(args[0]);
      const { min, max } = redisMaxMemoryLimits;
      return megabytes !== undefined && megabytes >= min && megabytes <= max
        ? { ok: true, lever: { kind, megabytes } }
        : fail(`redis-maxmemory: give megabytes from ${min} to ${max}, not "${args[0]}"`);
    }
    case 'redis-delete': {
      const bad = arity(1);
      if (bad) return bad;
      return redisPatternPattern.test(args[0]!)
        ? { ok: true, lever: { kind, pattern: args[0]! } }
        : fail('redis-delete: the pattern is 1 to 200 printable characters without spaces, e.g. "batch:*"');
    }
    default:
      return fail(`${kind === undefined ? 'no lever given' : `no lever "${kind}"`}; the levers: ${Object.values(leverUsage).join(' | ')}`);
  }
}

/** The lever written back as text, the way events and scenario files name it. */
export function formatLever(lever: Lever): string {
  switch (lever.kind) {
    case 'restart':
    case 'rollback':
      return `${lever.kind} ${lever.service}`;
    case 'deploy':
      return `deploy ${lever.service} ${lever.version}`;
    case 'flag':
      return `flag ${lever.flag} ${lever.value}`;
    case 'failover':
      return 'failover payments';
    case 'scale':
      return `scale worker ${lever.count}`;
    case 'dead-letter':
      return `dead-letter ${lever.jobId}`;
    case 'end-db-sessions':
      return 'end-db-sessions';
    case 'redis-maxmemory':
      return `redis-maxmemory ${lever.megabytes}`;
    case 'redis-delete':
      return `redis-delete ${lever.pattern}`;
  }
}

function isService(value: string): value is ShopService {
  return (shopServices as readonly string[]).includes(value);
}

function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,6}$/.test(text) ? Number(text) : undefined;
}
