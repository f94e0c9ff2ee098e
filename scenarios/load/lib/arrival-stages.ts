import type { Scenario } from 'k6/options';
import { durationSeconds, isLoadProfile, loadProfiles, profileDefaults, spikeFactor, type LoadProfile } from './load-profiles.ts';

/** What PROFILE, RATE and DURATION asked for, checked. */
export interface LoadShape {
  profile: LoadProfile;
  /** Journeys started per second. */
  rate: number;
  durationS: number;
}

/** Reads PROFILE (default steady), RATE and DURATION (the profile's defaults); a bad value stops k6 with a message naming it. */
export function loadShapeFromEnv(env: Record<string, string | undefined>): LoadShape {
  const profile = env.PROFILE || 'steady';
  if (!isLoadProfile(profile)) throw new Error(`PROFILE=${profile} is not a load profile; use one of ${loadProfiles.join(', ')}`);
  const rate = env.RATE ? Number(env.RATE) : profileDefaults[profile].rate;
  if (!Number.isFinite(rate) || rate <= 0) throw new Error(`RATE=${env.RATE} must be a number of journeys per second above 0`);
  const duration = env.DURATION || profileDefaults[profile].duration;
  const durationS = durationSeconds(duration);
  if (durationS === undefined) throw new Error(`DURATION=${duration} must be a k6 duration such as 30s, 10m or 1m30s`);
  return { profile, rate, durationS };
}

/**
 * The profile as an arrival-rate scenario: an open model, so a slow shop does not lower the load
 * offered to it (real shoppers do not wait for each other). Rates are per minute so that
 * fractional per-second rates (a 0.5/s smoke) stay exact.
 *
 * `journeySeconds` is how long one iteration usually lasts (its think time): k6 needs about
 * rate × journeySeconds VUs in flight, and allocates more, up to maxVUs, when the shop slows down
 * (each late iteration holds its VU longer).
 */
export function arrivalScenario(shape: LoadShape, journeySeconds: number): Scenario {
  const perMinute = (perSecond: number) => Math.max(1, Math.round(perSecond * 60));
  const peak = shape.profile === 'spike' ? shape.rate * spikeFactor : shape.rate;
  // Enough VUs ready for the nominal rate; room for the peak with a shop twice as slow. Each VU
  // is a JS runtime of its own (megabytes), so a spike's VUs are allocated when it comes.
  const vus = {
    preAllocatedVUs: Math.max(2, Math.ceil(shape.rate * journeySeconds * 1.1)),
    maxVUs: Math.max(10, Math.ceil(peak * journeySeconds * 2)),
  };
  // An iteration cut short by the end loses its last steps; a short grace keeps the run's end
  // close to its DURATION, which the launcher relies on as its last guard.
  const common = { timeUnit: '1m', gracefulStop: '5s', ...vus } as const;
  const d = shape.durationS;
  const span = (share: number) => `${Math.max(1, Math.round(d * share))}s`;

  switch (shape.profile) {
    case 'smoke':
    case 'steady':
    case 'soak':
      return { executor: 'constant-arrival-rate', rate: perMinute(shape.rate), duration: `${Math.round(d)}s`, ...common };
    case 'ramp':
      return {
        executor: 'ramping-arrival-rate',
        startRate: 0,
        stages: [
          { target: perMinute(shape.rate), duration: span(0.4) },
          { target: perMinute(shape.rate), duration: span(0.5) },
          { target: 0, duration: span(0.1) },
        ],
        ...common,
      };
    case 'spike':
      return {
        executor: 'ramping-arrival-rate',
        startRate: perMinute(shape.rate),
        stages: [
          { target: perMinute(shape.rate), duration: span(0.4) },
          { target: perMinute(peak), duration: span(0.05) },
          { target: perMinute(peak), duration: span(0.15) },
          { target: perMinute(shape.rate), duration: span(0.05) },
          { target: perMinute(shape.rate), duration: span(0.35) },
        ],
        ...common,
      };
  }
}
