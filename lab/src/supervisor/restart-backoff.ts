/** First and longest wait before restarting a crashed process. */
export const restartBackoff = { initialMs: 1_000, maxMs: 30_000, stableAfterMs: 60_000 } as const;

/**
 * Wait before the next restart after `crashStreak` crashes in a row: 1 s, 2 s, 4 s … capped at
 * 30 s, so a crash-looping service neither hammers its dependencies nor waits minutes once fixed.
 */
export function restartDelayMs(crashStreak: number, backoff: { initialMs: number; maxMs: number } = restartBackoff): number {
  const exponent = Math.max(0, crashStreak - 1);
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(exponent, 30));
}

/**
 * The crash streak after a crash: a process that ran for a while before it died starts again
 * from the shortest wait; one that dies straight away waits longer each time.
 */
export function nextCrashStreak(previousStreak: number, uptimeMs: number, stableAfterMs: number = restartBackoff.stableAfterMs): number {
  return uptimeMs >= stableAfterMs ? 1 : previousStreak + 1;
}
