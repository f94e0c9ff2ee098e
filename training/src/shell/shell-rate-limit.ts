/**
 * A token bucket per caller: a shell records what a person types, which is a few lines a second at
 * most; a loop posting thousands would fill the journal. `burst` lines at once, refilled at
 * `perSecond`. In memory: a restart of the training process forgives everyone, which is fine.
 */
export function shellRateLimit(options: { perSecond: number; burst: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /** Takes one line's worth for `caller`; false when the caller is over its rate. */
    take(caller: string): boolean {
      const t = now();
      const bucket = buckets.get(caller) ?? { tokens: options.burst, at: t };
      bucket.tokens = Math.min(options.burst, bucket.tokens + ((t - bucket.at) / 1000) * options.perSecond);
      bucket.at = t;
      buckets.set(caller, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
