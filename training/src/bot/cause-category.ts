/**
 * The root-cause category the bot names on resolve, derived from what fixed it (the categories of
 * training/src/incidents/incident-events.ts). What ended the incident says what kind of cause it
 * was, the way a team reasons in its review:
 *
 *   rollback <service>                  bad-release        a release caused it: going back ended it
 *   failover payments                   dependency-outage  a provider failed: moving off it ended it
 *   flag api.degraded-mode …            dependency-outage  nothing of ours changed: we waited it out degraded
 *   flag <anything else> <value>        config-change      a setting caused it: setting it back ended it
 *   scale …, redis-maxmemory, redis-delete   capacity      it ran out of room or hands
 *   dead-letter <job>                   bad-data           one bad job killed the worker
 *   restart <service>, end-db-sessions  software-defect    it got stuck by itself: a fresh start ended it
 *
 * "What fixed it" is the last lever that acts on the cause (not one that only undoes an earlier
 * easing, such as degraded mode off).
 */
export type CauseCategory = 'bad-release' | 'config-change' | 'dependency-outage' | 'capacity' | 'bad-data' | 'software-defect';

export function causeCategoryOf(lever: string): CauseCategory | undefined {
  const [verb, first] = lever.split(' ');
  switch (verb) {
    case 'rollback':
      return 'bad-release';
    case 'failover':
      return 'dependency-outage';
    case 'flag':
      return first === 'api.degraded-mode' ? 'dependency-outage' : 'config-change';
    case 'scale':
    case 'redis-maxmemory':
    case 'redis-delete':
      return 'capacity';
    case 'dead-letter':
      return 'bad-data';
    case 'restart':
    case 'end-db-sessions':
      return 'software-defect';
    default:
      return undefined;
  }
}

/** The category from the levers pulled, in order: the last one that is not a restore decides. */
export function causeCategoryFrom(pulls: ReadonlyArray<{ lever: string; restores?: boolean | undefined }>): CauseCategory | undefined {
  const fixing = pulls.filter((p) => !p.restores).at(-1);
  return fixing ? causeCategoryOf(fixing.lever) : undefined;
}
