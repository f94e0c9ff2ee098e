/**
 * A log-normal sample around `median` (Box–Muller): most values near the median, a long right
 * tail, never negative — the shape of real service times. `sigma` 0 gives the median itself.
 */
export function logNormal(median: number, sigma: number, random: () => number = Math.random): number {
  if (sigma === 0 || median === 0) return median;
  const u1 = 1 - random(); // (0, 1]: log(0) would be -Infinity
  const u2 = random();
  const standardNormal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return median * Math.exp(sigma * standardNormal);
}
