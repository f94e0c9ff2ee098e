/** Percentile by nearest rank on a sorted copy. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** 99 % normal-approximation interval of a binomial proportion p observed over n trials. */
export function binomialInterval99(p: number, n: number): [number, number] {
  const half = 2.5758 * Math.sqrt((p * (1 - p)) / n);
  return [p - half, p + half];
}

export const fmt = (n: number, digits = 1, width = 8) => n.toFixed(digits).padStart(width);

/** Runs `task` `total` times with at most `concurrency` at once; returns results in order. */
export async function runConcurrently<T>(total: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}
