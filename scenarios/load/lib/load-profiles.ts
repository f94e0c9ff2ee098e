/**
 * The stage presets every load script offers (PROFILE), with their default rate and duration.
 * The launcher keeps the same table on the Node side (training/src/load/load-profiles.ts) to
 * refuse a bad request before k6 starts; a test holds the two equal.
 */

export const loadProfiles = ['smoke', 'steady', 'ramp', 'spike', 'soak'] as const;
export type LoadProfile = (typeof loadProfiles)[number];

/** Visits per second at the profile's level (its peak for ramp, its base for spike), and how long. */
export const profileDefaults: Readonly<Record<LoadProfile, { rate: number; duration: string }>> = {
  smoke: { rate: 1, duration: '1m' },
  steady: { rate: 15, duration: '10m' },
  ramp: { rate: 15, duration: '10m' },
  spike: { rate: 15, duration: '5m' },
  soak: { rate: 10, duration: '1h' },
};

/** How much higher than the base rate the spike profile climbs. */
export const spikeFactor = 4;

export function isLoadProfile(name: string): name is LoadProfile {
  return (loadProfiles as readonly string[]).includes(name);
}

const unitSeconds: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Seconds in a k6-style duration ("90s", "1m30s", "2h"); undefined when it is not one or is zero. */
export function durationSeconds(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) seconds += Number(amount) * (unitSeconds[unit ?? 's'] ?? 1);
  return seconds > 0 ? seconds : undefined;
}
