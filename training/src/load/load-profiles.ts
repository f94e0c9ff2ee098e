/**
 * The stage presets the load scripts offer (PROFILE), their default rate and duration, and the
 * duration syntax k6 takes, so that a bad request is refused before k6 starts. The scripts keep
 * the same table in scenarios/load/lib/load-profiles.ts (k6 resolves no package names, and no
 * relative import may reach into a workspace);
 * k6-load.test.ts runs k6 to hold the two equal.
 */

export const loadProfiles = ['smoke', 'steady', 'ramp', 'spike', 'soak'] as const;
export type LoadProfile = (typeof loadProfiles)[number];

export interface ProfileDefaults {
  /** Visits started per second at the profile's nominal level (its peak for ramp, its base for spike). */
  rate: number;
  duration: string;
  /** What the profile is for, for `--help` texts and briefings. */
  purpose: string;
}

export const profileDefaults: Readonly<Record<LoadProfile, ProfileDefaults>> = {
  smoke: { rate: 1, duration: '1m', purpose: 'a trickle: does every step answer?' },
  steady: { rate: 15, duration: '10m', purpose: 'a constant, ordinary day: the baseline a lab breaks' },
  ramp: { rate: 15, duration: '10m', purpose: 'from nothing up to the rate, held, then down: where does it bend?' },
  spike: { rate: 15, duration: '5m', purpose: 'the rate, then four times it for a while (a flash sale), then back' },
  soak: { rate: 10, duration: '1h', purpose: 'a long constant rate: leaks and slow exhaustion' },
};

export function isLoadProfile(name: string): name is LoadProfile {
  return (loadProfiles as readonly string[]).includes(name);
}

const durationPart = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const unitSeconds: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Seconds in a k6-style duration ("90s", "1m30s", "2h"); undefined when it is not one or is zero. */
export function durationSeconds(text: string): number | undefined {
  if (!/^(\d+(?:\.\d+)?(ms|s|m|h))+$/.test(text)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(durationPart)) seconds += Number(amount) * (unitSeconds[unit ?? 's'] ?? 1);
  return seconds > 0 ? seconds : undefined;
}
