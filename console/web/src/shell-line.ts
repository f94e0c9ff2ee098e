import type { RunEvent } from './run-events.ts';

/** A shell.command event's line, for the event list (": $ curl …, exit 7"); nothing for other kinds. */
export function shellLine(event: Pick<RunEvent, 'kind' | 'data'>): string {
  if (event.kind !== 'shell.command') return '';
  const data = (event.data ?? {}) as { command?: unknown; exitStatus?: unknown };
  if (typeof data.command !== 'string') return '';
  return `: $ ${data.command}${typeof data.exitStatus === 'number' && data.exitStatus !== 0 ? `, exit ${data.exitStatus}` : ''}`;
}
