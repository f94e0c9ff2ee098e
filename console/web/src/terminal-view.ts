import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';

/**
 * Opens xterm.js in `element` over the console's WebSocket (/console/terminal; the session cookie
 * goes with it, and the server checks this page's Origin). Keystrokes go as {type: 'input'}, the
 * size as {type: 'resize'}; the shell's output comes back as bytes. Returns a function that closes it.
 */
export function openTerminal(element: HTMLElement, events: { onOpen(): void; onEnd(reason: string): void }): () => void {
  element.replaceChildren();
  // screenReaderMode: the output is also written to a live region screen readers follow.
  const terminal = new Terminal({ cols: 100, rows: 30, screenReaderMode: true, convertEol: false, fontSize: 14 });
  terminal.open(element);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/console/terminal`);
  socket.binaryType = 'arraybuffer';
  const send = (message: object) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(message));
  socket.addEventListener('open', () => {
    send({ type: 'resize', cols: terminal.cols, rows: terminal.rows });
    terminal.focus();
    events.onOpen();
  });
  socket.addEventListener('message', (message) => {
    terminal.write(typeof message.data === 'string' ? message.data : new Uint8Array(message.data as ArrayBuffer));
  });
  socket.addEventListener('close', (event) => {
    events.onEnd(event.reason || (event.code === 1006 ? 'the console refused or lost the connection' : `code ${event.code}`));
  });
  const input = terminal.onData((data) => send({ type: 'input', data }));
  const resize = terminal.onResize(({ cols, rows }) => send({ type: 'resize', cols, rows }));
  return () => {
    input.dispose();
    resize.dispose();
    socket.close();
    terminal.dispose();
  };
}
