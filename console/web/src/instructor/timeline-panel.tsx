import { useRunStream, type RunEvent } from '../run-events.ts';

/** Events only the instructor sees (faults, causes): the training API marks them so. */
const instructorOnly = (event: RunEvent) => (event as RunEvent & { visibility?: string }).visibility === 'instructor';

/** A few words of an event's data, for the list (the report has everything). */
function summary(event: RunEvent): string {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const parts = ['state', 'phase', 'family', 'target', 'lever', 'alertname', 'title', 'severity', 'text', 'minutes', 'by', 'command', 'exitStatus']
    .filter((k) => typeof data[k] === 'string' || typeof data[k] === 'number')
    .map((k) => `${k} ${String(data[k])}`);
  return parts.join(', ');
}

/** The selected run's whole timeline, live, with the instructor-only events marked as such. */
export function TimelinePanel(props: { runId: string | null }) {
  const { events, problem } = useRunStream(props.runId);
  return (
    <section aria-labelledby="timeline-heading" class="panel">
      <h2 id="timeline-heading">Timeline{props.runId ? ` of run ${props.runId}` : ''}</h2>
      {!props.runId && <p>Choose a run's "Timeline" in the Runs table.</p>}
      {problem && <p role="alert">{problem}</p>}
      {props.runId && events.length === 0 && !problem && <p>No event yet.</p>}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the list scrolls in its own box, and a keyboard must be able to reach and scroll it (axe: scrollable-region-focusable) */}
      <ol class="timeline" aria-live="polite" aria-labelledby="timeline-heading" tabIndex={0}>
        {events.map((e) => (
          <li key={e.id} class={instructorOnly(e) ? 'instructor-only' : undefined}>
            <time dateTime={e.at}>{e.at.slice(11, 19)}</time> <strong>{e.kind}</strong> ({e.actor}){summary(e) ? `: ${summary(e)}` : ''}
            {instructorOnly(e) && <span class="tag"> instructor only</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
