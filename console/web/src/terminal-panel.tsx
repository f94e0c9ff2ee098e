import { useEffect, useRef, useState } from 'preact/hooks';

type TerminalState = 'closed' | 'opening' | 'open' | 'ended';

/**
 * The trainee's shell on the lab box, in the page: for classes with only browsers. The terminal
 * (xterm.js) is a chunk of its own, loaded when the trainee opens it, so the page stays small.
 * The console bridges it to the lab's sshd as the trainee's own account; what is typed is
 * recorded on the team's timeline like any shell line.
 */
export function TerminalPanel() {
  const [state, setState] = useState<TerminalState>('closed');
  const [detail, setDetail] = useState('');
  const host = useRef<HTMLDivElement>(null);
  const close = useRef<(() => void) | null>(null);

  useEffect(() => () => close.current?.(), []);

  const open = async () => {
    if (!host.current) return;
    setState('opening');
    setDetail('');
    const { openTerminal } = await import('./terminal-view.ts');
    close.current = openTerminal(host.current, {
      onOpen: () => setState('open'),
      onEnd: (reason) => {
        setState('ended');
        setDetail(reason);
      },
    });
  };

  return (
    <section aria-labelledby="terminal-heading" class="panel">
      <h2 id="terminal-heading">Terminal on the lab box</h2>
      <p>
        Your own shell, as over <code>ssh</code>: <code>lab status</code>, <code>lab logs</code>, <code>curl</code>, <code>psql</code>, <code>redis-cli</code>…
        Every command you type goes on your team's timeline for the debrief.
      </p>
      <p role="status" class="message">
        {state === 'closed' && 'Terminal: closed.'}
        {state === 'opening' && 'Terminal: connecting…'}
        {state === 'open' && 'Terminal: connected.'}
        {state === 'ended' && `Terminal: ended${detail ? ` (${detail})` : ''}.`}
      </p>
      {(state === 'closed' || state === 'ended') && (
        <button type="button" onClick={open}>
          Open the terminal
        </button>
      )}
      {state === 'open' && (
        <button type="button" onClick={() => close.current?.()}>
          Close the terminal
        </button>
      )}
      <div ref={host} class="terminal" />
    </section>
  );
}
