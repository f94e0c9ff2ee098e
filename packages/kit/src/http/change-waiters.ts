/**
 * The waiting side of a long poll: a reader that has seen version `seen` of something is held
 * until it changes (wakeAll), its wait runs out, its request goes away (signal) or the server
 * answers every held poll at shutdown (wakeAll again). Used by the chaos controller for its
 * agents' faults and by the training process for the shop's flags: a held poll costs nothing,
 * a poll every few hundred milliseconds costs both processes CPU all day long.
 */
export interface ChangeWaiters {
  /** Resolves at once when `current` is not `seen` (or nothing is to be waited for); else on the next wake. */
  wait(current: number, seen: number, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Releases every held wait: the version moved, or the server is closing. */
  wakeAll(): void;
}

export function createChangeWaiters(): ChangeWaiters {
  const waiters = new Set<() => void>();
  return {
    wait(current, seen, timeoutMs, signal) {
      if (current !== seen || timeoutMs <= 0 || signal?.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', wake);
          waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, timeoutMs);
        signal?.addEventListener('abort', wake, { once: true });
        waiters.add(wake);
      });
    },
    wakeAll() {
      for (const wake of waiters) wake();
    },
  };
}
