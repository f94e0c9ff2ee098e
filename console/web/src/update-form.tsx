import { useEffect, useState } from 'preact/hooks';
import { minutesAndSeconds, nextUpdate } from './figures.ts';
import type { IncidentVocabulary, StatusUpdate } from './incident-types.ts';
import { formFields } from './incident-types.ts';

/**
 * Status updates: pick a template (the training API's own), fill it in, say the impact and when
 * the next update comes. The countdown runs from the last update's recorded time and the minutes
 * it promised; it is a reminder on this screen, the grade reads the journal.
 */
export function UpdateForm(props: {
  vocabulary: IncidentVocabulary;
  lastUpdate: StatusUpdate | null;
  onPost: (body: { kind: string; text: string; impact?: string; nextUpdateMinutes?: number }) => void;
}) {
  const [kind, setKind] = useState(props.lastUpdate ? 'update' : 'ack');
  const [text, setText] = useState('');
  const template = props.vocabulary.updateTemplates.find((t) => t.kind === kind);
  const submit = (event: Event) => {
    const fields = formFields(event);
    if (!fields.text) return;
    props.onPost({
      kind,
      text: fields.text,
      ...(fields.impact && { impact: fields.impact }),
      ...(fields.nextUpdateMinutes && kind !== 'resolution' && { nextUpdateMinutes: Number(fields.nextUpdateMinutes) }),
    });
    setText('');
  };
  return (
    <form onSubmit={submit} aria-labelledby="update-heading">
      <h3 id="update-heading">Status update</h3>
      <NextUpdateCountdown lastUpdate={props.lastUpdate} />
      <label for="update-kind">Template</label>
      <select id="update-kind" value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value)}>
        {props.vocabulary.updateTemplates.map((t) => (
          <option key={t.kind} value={t.kind}>
            {t.kind}
          </option>
        ))}
      </select>
      {template && <p class="hint-text">{template.when}</p>}
      <button type="button" onClick={() => template && setText(template.text)}>
        Start from the template
      </button>
      <label for="update-text">Update text</label>
      <textarea id="update-text" name="text" rows={5} required value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
      <label for="update-impact">Impact (what customers feel now)</label>
      <input id="update-impact" name="impact" maxLength={500} />
      {kind !== 'resolution' && (
        <>
          <label for="update-next">Next update in (minutes)</label>
          <input id="update-next" name="nextUpdateMinutes" type="number" min={1} max={240} defaultValue="15" />
        </>
      )}
      <button type="submit">Post the update</button>
    </form>
  );
}

/** "Next update due in 12:04" or "overdue by 1:30", ticking each second. */
export function NextUpdateCountdown(props: { lastUpdate: StatusUpdate | null }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const next = nextUpdate(props.lastUpdate, now);
  switch (next.state) {
    case 'none-yet':
      return <p class="status status-warn">No update posted yet: post the acknowledgement.</p>;
    case 'none-promised':
      return <p class="status">No further update promised.</p>;
    case 'due':
      return (
        <p class="status status-ok" role="timer">
          Next update due in {minutesAndSeconds(next.seconds)}
        </p>
      );
    case 'overdue':
      return (
        <p class="status status-bad" role="timer">
          Next update overdue by {minutesAndSeconds(next.seconds)}
        </p>
      );
  }
}
