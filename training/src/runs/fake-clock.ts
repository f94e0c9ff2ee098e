import type { RunClock } from './run-clock.ts';

/**
 * A clock for tests: time moves only when the test advances it, and every sleeper whose time has
 * come is woken in order, with the engine's pending work let through between them.
 */
export class FakeClock implements RunClock {
  #now: number;
  #sleepers: { until: number; wake: () => void }[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper = { until: this.#now + ms, wake: () => resolve() };
      this.#sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Moves time forward by `ms`, waking sleepers one at a time in time order. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await settle();
      const next = this.#sleepers.filter((s) => s.until <= target).sort((a, b) => a.until - b.until)[0];
      if (!next) break;
      this.#sleepers = this.#sleepers.filter((s) => s !== next);
      this.#now = Math.max(this.#now, next.until);
      next.wake();
    }
    this.#now = target;
    await settle();
  }
}

/** Lets promise chains started by a wake-up run as far as they can without real time passing. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
