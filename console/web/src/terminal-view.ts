import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';

/**
 * Opens xterm.js in `element` over the console's WebSocket (/console/terminal; the session cookie
 * goes with it, and the server checks this page's Origin). Keystrokes go as {type: 'input'}, the
 * size as {type: 'resize'}; the shell's output comes back as bytes. Returns a function that closes it.
 */
export function openTerminal(element: HTMLElement, events: { onOpen(): void; onEnd(reason: string): void }): () => void {
  element.replaceChildren();
  const stopMirroring = mirrorStyleElements(element);
  // screenReaderMode: the output is also written to a live region screen readers follow.
  const terminal: Terminal = new Terminal({ cols: 100, rows: 30, screenReaderMode: true, convertEol: false, fontSize: 14 });
  terminal.open(element);
  // xterm draws nothing while it is off screen: bring it into view, where the trainee will type.
  element.scrollIntoView({ block: 'nearest' });
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
    stopMirroring();
  };
}

/**
 * xterm.js writes its theme and cell sizes into <style> elements, which the console's CSP
 * (style-src 'self', no 'unsafe-inline') rightly refuses to apply. The same rules through a
 * constructed stylesheet (the CSSOM, which CSP does not govern) keep the policy whole: this copies
 * the text of every <style> under the terminal into one, whenever xterm changes it.
 */
function mirrorStyleElements(root: HTMLElement): () => void {
  const sheet = new CSSStyleSheet();
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  const copy = () => sheet.replaceSync([...root.querySelectorAll('style')].map((style) => style.textContent ?? '').join('\n'));
  const observer = new MutationObserver((changes) => {
    if (
      changes.some(
        (change) =>
          change.target.nodeName === 'STYLE' || change.target.parentNode?.nodeName === 'STYLE' || [...change.addedNodes].some((n) => n.nodeName === 'STYLE'),
      )
    )
      copy();
  });
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  return () => {
    observer.disconnect();
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
  };
}
