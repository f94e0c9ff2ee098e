import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

/**
 * A button that asks first, in a native <dialog>: it says what the action will do, Escape or
 * "Cancel" backs out, focus stays inside while it is open (the browser's modal dialog does that).
 * Used for every lever and every hint (a hint costs points).
 */
export function ConfirmButton(props: {
  label: string;
  /** What happens if the person goes ahead, in plain words. */
  what: ComponentChildren;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  /** The button's accessible name when it should not carry the "…" (a name other tests find it by). */
  name?: string;
  /** Extra class names for the button (e.g. the instructor's big halt button). */
  class?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button type="button" class={props.class} aria-label={props.name} disabled={props.disabled} onClick={() => dialog.current?.showModal()}>
        {props.label}…
      </button>
      <dialog ref={dialog} aria-label={props.label}>
        <form
          method="dialog"
          onSubmit={(event) => {
            // The submitter says which button closed the dialog.
            if ((event.submitter as HTMLButtonElement | null)?.value === 'confirm') props.onConfirm();
          }}
        >
          <p>{props.what}</p>
          <button type="submit" value="confirm">
            {props.confirmLabel}
          </button>{' '}
          <button type="submit" value="cancel" autofocus>
            Cancel
          </button>
        </form>
      </dialog>
    </>
  );
}
