import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ConfirmButton } from '../confirm-button.tsx';
import { describeFault, faultPlace, faultRequest, freeSettings } from './fault-form.ts';
import type { ActiveFault, Catalogue } from './instructor-types.ts';

/** The chaos controller, through the console's instructor-only proxy. */
const chaos = '/chaos/api';

/**
 * Curveballs: the fault catalogue → a form (family, in a class the team whose shop it breaks,
 * target, settings, duration) whose confirmation says what the fault will do; the active faults,
 * each with Clear; and "Halt everything".
 */
export function CurveballPanel(props: { classTeams: readonly string[] }) {
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [familyName, setFamilyName] = useState('');
  const [faults, setFaults] = useState<ActiveFault[]>([]);
  const [message, setMessage] = useState('');
  const [pending, setPending] = useState<{ body: Record<string, string | number>; what: string } | null>(null);
  const confirmDialog = useRef<HTMLDialogElement>(null);
  const refresh = () =>
    api<{ faults: ActiveFault[] }>('GET', `${chaos}/faults`).then(
      ({ faults }) => setFaults(faults),
      (err: Error) => setMessage(`The active faults could not be read: ${err.message}`),
    );
  useEffect(() => {
    api<Catalogue>('GET', `${chaos}/catalogue`).then(
      (c) => {
        setCatalogue(c);
        setFamilyName((f) => f || (c.families[0]?.family ?? ''));
      },
      (err: Error) => setMessage(`The fault catalogue could not be read: ${err.message}`),
    );
    refresh();
    // Faults expire by themselves: the list follows.
    const timer = setInterval(refresh, 5000);
    return () => clearInterval(timer);
  }, []);
  const family = catalogue?.families.find((f) => f.family === familyName);
  const review = (event: Event) => {
    event.preventDefault();
    if (!family) return;
    const fields: Record<string, string> = {};
    for (const [name, value] of new FormData(event.currentTarget as HTMLFormElement)) if (typeof value === 'string') fields[name] = value;
    const request = faultRequest(family, fields);
    if (!request.ok) return setMessage(`Not injected: ${request.errors.join('; ')}`);
    setPending({ body: request.body, what: describeFault(family, request.body) });
    confirmDialog.current?.showModal();
  };
  const inject = () => {
    if (!pending) return;
    api<ActiveFault>('POST', `${chaos}/faults`, pending.body).then(
      (fault) => {
        setMessage(`Injected ${fault.family} on ${faultPlace(fault)} (${fault.id}); it ends by itself at ${fault.expiresAt.slice(11, 19)}.`);
        refresh();
      },
      (err: Error) => setMessage(`Not injected: ${err.message}`),
    );
  };
  const clear = (fault: ActiveFault) =>
    api('DELETE', `${chaos}/faults/${encodeURIComponent(fault.id)}`).then(
      () => {
        setMessage(`Cleared ${fault.family} on ${faultPlace(fault)}.`);
        refresh();
      },
      (err: Error) => setMessage(`Not cleared: ${err.message}`),
    );
  const halt = () =>
    api<{ cleared: number }>('POST', `${chaos}/halt`).then(
      (answer) => {
        setMessage(`Halted: ${answer.cleared} fault(s) cleared.`);
        refresh();
      },
      (err: Error) => setMessage(`Not halted: ${err.message}`),
    );
  return (
    <section aria-labelledby="curveball-heading" class="panel">
      <h2 id="curveball-heading">Curveball</h2>
      {message && <p role="status">{message}</p>}
      <ConfirmButton
        class="halt"
        label="Halt everything"
        name="Halt everything"
        what="Halt everything: every active fault is cleared at once, the run's and yours. Runs go on; their causes end."
        confirmLabel="Halt everything now"
        onConfirm={halt}
      />
      <h3>Active faults</h3>
      {faults.length === 0 ? (
        <p class="status status-ok">No fault active</p>
      ) : (
        <ul class="faults">
          {faults.map((f) => (
            <li key={f.id}>
              <span class="status status-bad">ACTIVE</span> {f.family} on {faultPlace(f)}, by {f.createdBy}, {f.remainingSeconds} s left{' '}
              <button type="button" onClick={() => clear(f)} aria-label={`Clear ${f.family} on ${faultPlace(f)}`}>
                Clear
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3>Inject a fault</h3>
      {catalogue && family && (
        <form onSubmit={review} key={family.family}>
          <p>
            <label for="fault-family">Fault</label>{' '}
            <select id="fault-family" name="family" value={familyName} onChange={(e) => setFamilyName(e.currentTarget.value)}>
              {catalogue.families.map((f) => (
                <option key={f.family} value={f.family}>
                  {f.family}
                </option>
              ))}
            </select>{' '}
            {props.classTeams.length > 0 && (
              <>
                <label for="fault-team">for team</label>{' '}
                <select id="fault-team" name="team">
                  {props.classTeams.map((team) => (
                    <option key={team} value={team}>
                      {team}
                    </option>
                  ))}
                </select>{' '}
              </>
            )}
            <label for="fault-target">on</label>{' '}
            <select id="fault-target" name="target">
              {family.targets.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
            {family.modes && (
              <>
                {' '}
                <label for="fault-mode">mode</label>{' '}
                <select id="fault-mode" name="mode">
                  {family.modes.map((m) => (
                    <option key={m} value={m}>
                      {m}
                    </option>
                  ))}
                </select>
              </>
            )}
          </p>
          <p class="hint">{family.summary}</p>
          {freeSettings(family).map((s) => (
            <p key={s.name}>
              <label for={`fault-${s.name}`}>{s.name}</label>{' '}
              <input id={`fault-${s.name}`} name={s.name} required={s.required} aria-describedby={`fault-${s.name}-hint`} />{' '}
              <span id={`fault-${s.name}-hint`} class="hint">
                {s.hint}
              </span>
            </p>
          ))}
          <p>
            <label for="fault-for">Lasts</label>{' '}
            <input id="fault-for" name="for" required defaultValue={catalogue.defaultDuration} aria-describedby="fault-for-hint" />{' '}
            <span id="fault-for-hint" class="hint">
              e.g. 90s, 5m; at most {catalogue.maxDuration}. Every fault ends by itself.
            </span>
          </p>
          <button type="submit">Review the fault…</button>
        </form>
      )}
      <dialog ref={confirmDialog} aria-label="Inject this fault?">
        <form
          method="dialog"
          onSubmit={(event) => {
            if ((event.submitter as HTMLButtonElement | null)?.value === 'confirm') inject();
          }}
        >
          <p>{pending?.what}</p>
          <button type="submit" value="confirm">
            Inject it
          </button>{' '}
          <button type="submit" value="cancel" autofocus>
            Cancel
          </button>
        </form>
      </dialog>
    </section>
  );
}
