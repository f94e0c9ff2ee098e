import { setTimeout as delay } from 'node:timers/promises';

/**
 * The run's clock: the engine reads the time and waits only through this, so unit tests drive a
 * run with fake time (see fake-clock.ts) and the real one uses the system's.
 */
export interface RunClock {
  now(): number;
  /** Waits `ms`, or less if the signal aborts first; never rejects. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: RunClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
};
