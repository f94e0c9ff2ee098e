import type { StatusUpdate } from './incident-types.ts';

/** Grafana's unit ids, written as a person reads them (the text beside every chart). */
export function formatValue(value: number, unit: string): string {
  switch (unit) {
    case 's':
      return value < 1 ? `${Math.round(value * 1000)} ms` : `${value.toFixed(2)} s`;
    case 'percentunit':
      return `${(value * 100).toFixed(1)} %`;
    case 'reqps':
      return `${value.toFixed(1)} req/s`;
    case 'ops':
      return `${value.toFixed(1)} /s`;
    default:
      return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }
}

export type NextUpdate = { state: 'none-yet' } | { state: 'none-promised' } | { state: 'due'; seconds: number } | { state: 'overdue'; seconds: number };

/**
 * When the next status update is due: the last update's recorded time plus the minutes it
 * promised. A resolution, or an update that promised nothing, promises no next one.
 */
export function nextUpdate(last: StatusUpdate | null, nowMs: number): NextUpdate {
  if (!last) return { state: 'none-yet' };
  if (last.kind === 'resolution' || last.nextUpdateMinutes === null) return { state: 'none-promised' };
  const left = Math.round((Date.parse(last.at) + last.nextUpdateMinutes * 60_000 - nowMs) / 1000);
  return left >= 0 ? { state: 'due', seconds: left } : { state: 'overdue', seconds: -left };
}

/** 754 → "12:34". */
export function minutesAndSeconds(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
