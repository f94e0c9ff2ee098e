/**
 * The windows of Sloth's multi-window, multi-burn-rate alerts (the SRE workbook's, for a 30-day
 * SLO period) and the lab's accelerated stand-ins for them.
 *
 * A lab exercise lasts minutes, so the lab profile divides every window by `labScale`: the rules
 * keep Sloth's names (`slo:sli_error:ratio_rate1h`, `sloth_window="1h"`) but a lab rule computes
 * that ratio over 2 minutes. Burn factors and objectives are unchanged, so "14.4× the budget over
 * both windows" still means "2% of the period's budget gone", of a 1-day lab period.
 */

/** Sloth's SLI windows, shortest first; `30d` (the SLO period) is derived from the 5m series. */
export const sliWindows = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SliWindow = (typeof sliWindows)[number];
export const periodWindow = '30d';

export interface BurnCondition {
  short: SliWindow;
  long: SliWindow;
  /** How many times faster than "exactly the budget over the period" the SLI is burning. */
  factor: number;
}

/** Sloth's alerts (internal/alert/windows/google-30d.yaml): 2% and 5% of budget page, 10% and 10% ticket. */
export const burnAlerts: Record<'page' | 'ticket', readonly BurnCondition[]> = {
  page: [
    { short: '5m', long: '1h', factor: 14.4 },
    { short: '30m', long: '6h', factor: 6 },
  ],
  ticket: [
    { short: '2h', long: '1d', factor: 3 },
    { short: '6h', long: '3d', factor: 1 },
  ],
};

export interface WindowProfile {
  name: 'production' | 'lab';
  /** The PromQL range each Sloth window is computed over in this profile. */
  range(window: SliWindow | typeof periodWindow): string;
  periodDays: number;
}

/** One lab second stands for this many production seconds. */
export const labScale = 30;

export const productionProfile: WindowProfile = {
  name: 'production',
  range: (window) => window,
  periodDays: 30,
};

export const labProfile: WindowProfile = {
  name: 'lab',
  range: (window) => formatDuration(parseDuration(window) / labScale),
  periodDays: 30 / labScale,
};

export const profiles = [labProfile, productionProfile] as const;

const units = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
] as const;

export function parseDuration(text: string): number {
  const match = /^(\d+)([dhms])$/.exec(text);
  if (!match) throw new Error(`not a single-unit duration: ${text}`);
  const unit = units.find(([u]) => u === match[2])!;
  return Number(match[1]) * unit[1];
}

/** Seconds as a PromQL duration in the largest unit that divides it evenly (144m, not 2h24m). */
export function formatDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Error(`window of ${seconds} s cannot be a PromQL range`);
  const [unit, size] = units.find(([, size]) => seconds % size === 0)!;
  return `${seconds / size}${unit}`;
}
