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
    case 'bytes':
      return formatBytes(value);
    default:
      return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }
}

/** 123456789 → "117.7 MiB" (memory charts). */
function formatBytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let scaled = value;
  let unit = 0;
  while (Math.abs(scaled) >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(scaled)} B` : `${scaled.toFixed(1)} ${units[unit]}`;
}

/**
 * Seconds until something the API said was `availableInSeconds` away when it answered at
 * `answeredAtMs` (the next hint): the page counts down from the answer rather than asking again.
 */
export function secondsLeft(availableInSeconds: number, answeredAtMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil(availableInSeconds - (nowMs - answeredAtMs) / 1000));
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
