import type { Run, RunEvent } from '@firedrill/training';
import { type Colour, paint } from './terminal-colour.ts';

/**
 * One run event as one line of text: `mm:ss  kind  actor  what`, the time counted from the run's
 * creation on the server's clock (so a slow terminal or a skewed laptop clock changes nothing).
 * Pure: the live screen and the plain (non-TTY) output both use it, and tests feed it by hand.
 */

/** 75_000 → "01:15"; an hour or more → "1:02:05". Negative durations (clock skew) read as 00:00. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** When `iso` happened, counted from the run's creation. */
export function sinceStart(iso: string, run: Pick<Run, 'createdAt'>): string {
  return clock(Date.parse(iso) - Date.parse(run.createdAt));
}

/** `text` cut to `width` characters (code points), with an ellipsis where it was cut. */
export function fit(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return width <= 1 ? chars.slice(0, width).join('') : `${chars.slice(0, width - 1).join('')}…`;
}

const kindWidth = 'alert.resolved'.length;
const actorWidth = 10;

/** The line's colour says at a glance whether things got worse or better. */
function colourOf(event: RunEvent): Colour | undefined {
  switch (event.kind) {
    case 'alert.fired':
    case 'probe.failing':
    case 'page':
      return 'red';
    case 'alert.resolved':
    case 'probe.passing':
      return 'green';
    case 'lever.applied':
    case 'deploy':
    case 'rollback':
    case 'flag.changed':
      return 'cyan';
    case 'fault.injected':
    case 'fault.cleared':
    case 'hint.taken':
      return 'yellow';
    case 'run.state': {
      const state = text(event.data, 'state');
      if (state === 'resolved') return 'green';
      if (state === 'timed_out' || state === 'refused' || state === 'failed') return 'red';
      return 'bold';
    }
    default:
      return undefined;
  }
}

/** `compact`: no column padding and no actor, for narrow terminals. */
export function eventLine(event: RunEvent, run: Pick<Run, 'createdAt'>, options: { colour: boolean; width?: number; compact?: boolean }): string {
  const when = sinceStart(event.at, run);
  const plain = (
    options.compact
      ? `${when} ${event.kind} ${describeEvent(event)}`
      : `${when}  ${event.kind.padEnd(kindWidth)}  ${event.actor.padEnd(actorWidth)}  ${describeEvent(event)}`
  ).trimEnd();
  const line = options.width === undefined ? plain : fit(plain, options.width);
  const colour = colourOf(event);
  return colour ? paint(colour, line, options.colour) : line;
}

/**
 * What happened, in words. The event data's shape belongs to the training process; the server's own
 * `summary` wins, then the fields each kind is known to carry, then the data's plain fields as
 * key=value, so an unknown kind still shows something useful.
 */
export function describeEvent(event: RunEvent): string {
  const { data } = event;
  const summary = text(data, 'summary');
  if (summary) return summary;
  switch (event.kind) {
    case 'run.state': {
      const state = text(data, 'state') ?? '?';
      const reason = text(data, 'reason');
      return reason ? `${state}: ${reason}` : state;
    }
    case 'deploy':
    case 'rollback': {
      const service = text(data, 'service') ?? '?';
      const version = text(data, 'version') ?? '?';
      const previous = text(data, 'previousVersion');
      const notes = text(data, 'notes');
      return `${service} ${previous ? `${previous} -> ` : ''}${version}${notes ? ` (${notes})` : ''}`;
    }
    case 'flag.changed': {
      const name = text(data, 'name', 'flag') ?? '?';
      return `${name} = ${text(data, 'value') ?? '?'}`;
    }
    case 'lever.applied': {
      const lever = text(data, 'lever') ?? '?';
      const matched = text(data, 'matched');
      return matched ? `${lever} (${matched})` : lever;
    }
    case 'alert.fired':
    case 'alert.resolved':
    case 'page':
      return text(data, 'alertname', 'alert', 'name') ?? keyValues(data);
    case 'probe.passing':
    case 'probe.failing':
      return text(data, 'name', 'probe') ?? keyValues(data);
    case 'fault.injected':
    case 'fault.cleared': {
      const family = text(data, 'family');
      const target = text(data, 'target');
      return family ? `${family}${target ? ` at ${target}` : ''}` : keyValues(data);
    }
    default:
      return keyValues(data);
  }
}

/** The first of `keys` holding a string, number or boolean, as text. */
function text(data: Record<string, unknown> | null, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = data?.[key];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  }
  return undefined;
}

function keyValues(data: Record<string, unknown>): string {
  return Object.entries(data)
    .filter(([, value]) => value !== null && typeof value !== 'object')
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}
