import type { Lever } from '../levers/lever.ts';

/**
 * Levers in scenario files are the ops API's levers, written the same way ("rollback payments",
 * "flag payments.fraud-check false", "scale worker 3") and parsed by the same parser
 * (levers/lever.ts), so a typo fails when the scenario loads, not when a trainee pulls it mid-run.
 * What scenarios add is deciding whether a lever someone pulled is one a step lists.
 */

/** "failover payments" is the same action as switching the secondary gateway on. */
function normalise(lever: Lever): Lever {
  return lever.kind === 'failover' ? { kind: 'flag', flag: 'payments.secondary-gateway', value: true } : lever;
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
  if (want.kind === 'redis-maxmemory' && got.kind === 'redis-maxmemory') return got.megabytes >= want.megabytes;
  if (want.kind === 'dead-letter' && got.kind === 'dead-letter' && want.jobId === poisonJob) return context.poisonJobIds?.includes(got.jobId) ?? false;
  return JSON.stringify(want) === JSON.stringify(got);
}
