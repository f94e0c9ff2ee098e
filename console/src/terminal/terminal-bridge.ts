import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { Client, type ClientChannel } from 'ssh2';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '@firedrill/kit';
import type { SessionStore } from '../session/session-store.ts';
import { decideTerminalUpgrade } from './terminal-upgrade.ts';

export interface TerminalSettings {
  /** The lab box's sshd. */
  sshHost: string;
  sshPort: number;
  /** Where the lab keeps the trainees' private keys (<state>/ssh/trainee-keys): fd-<name> each. Read by the console only, never sent. */
  keysDir: string;
  /** The lab sshd's host key (the blob of its .pub file): a different server is refused. Unset: not checked. */
  hostKey?: Buffer;
}

/** The key blob of an OpenSSH public key line ("ssh-ed25519 AAAA… comment"). */
export function publicKeyBlob(line: string): Buffer {
  const field = line.trim().split(/\s+/)[1];
  if (!field) throw new Error('not an OpenSSH public key line');
  return Buffer.from(field, 'base64');
}

/** What the page sends: keystrokes, or the terminal's new size. */
type TerminalMessage = { type: 'input'; data: string } | { type: 'resize'; cols: number; rows: number };

const maxMessageBytes = 64 * 1024;

/**
 * The browser terminal: a WebSocket on the console's server (upgrade checked in
 * terminal-upgrade.ts), bridged with ssh2 to the lab's sshd as the signed-in trainee's own account,
 * with the trainee's key that the lab holds. The key never leaves this process. The shell ends
 * when the socket closes, and the socket when the shell or the session ends.
 */
export function attachTerminal(server: Server, deps: { sessions: SessionStore; settings: TerminalSettings | undefined; logger: Logger }): { close(): void } {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  server.on('upgrade', (req, socket: Duplex, head) => {
    const decision = decideTerminalUpgrade(req, deps.sessions);
    if (!decision.ok || !deps.settings) {
      const [status, reason] = decision.ok ? [503, 'the lab box has no sshd here'] : [decision.status, decision.reason];
      socket.end(
        `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : status === 401 ? 'Unauthorized' : status === 503 ? 'Service Unavailable' : 'Forbidden'}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`,
      );
      return;
    }
    const { session } = decision;
    const settings = deps.settings;
    sockets.handleUpgrade(req, socket, head, (ws) => {
      void bridge(ws, `fd-${session.caller.trainee}`, settings, session.expiresAt, deps.logger);
    });
  });
  return {
    /** Upgraded sockets are no longer the HTTP server's: closing it would wait for them forever. */
    close() {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
    },
  };
}

async function bridge(ws: WebSocket, user: string, settings: TerminalSettings, expiresAt: number, logger: Logger): Promise<void> {
  let privateKey: Buffer;
  try {
    privateKey = await readFile(path.join(settings.keysDir, user));
  } catch {
    ws.close(4403, 'no SSH account for this trainee on the lab box');
    return;
  }
  const ssh = new Client();
  let shell: ClientChannel | undefined;
  const pending: TerminalMessage[] = [];
  const endAll = (code: number, reason: string) => {
    clearTimeout(expiry);
    ssh.end();
    if (ws.readyState === ws.OPEN) ws.close(code, reason);
  };
  // The session's absolute expiry ends its terminal too.
  const expiry = setTimeout(() => endAll(4401, 'the console session ended'), Math.max(0, expiresAt - Date.now()));
  expiry.unref();
  const apply = (message: TerminalMessage) => {
    if (message.type === 'input') shell?.write(message.data);
    else shell?.setWindow(message.rows, message.cols, 0, 0);
  };
  ws.on('message', (raw) => {
    const message = parseMessage(raw.toString());
    if (!message) return;
    if (shell) apply(message);
    else pending.push(message);
  });
  ws.on('close', () => endAll(1000, 'closed'));
  ssh.on('ready', () => {
    ssh.shell({ term: 'xterm-256color', cols: 100, rows: 30 }, (err, stream) => {
      if (err) return endAll(1011, 'the lab box refused a shell');
      shell = stream;
      stream.on('data', (chunk: Buffer) => ws.readyState === ws.OPEN && ws.send(chunk));
      stream.stderr.on('data', (chunk: Buffer) => ws.readyState === ws.OPEN && ws.send(chunk));
      stream.on('close', () => endAll(1000, 'the shell ended'));
      for (const message of pending.splice(0)) apply(message);
    });
  });
  ssh.on('error', (err) => {
    logger.warn({ err: err.message, user }, 'terminal: ssh to the lab box failed');
    endAll(1011, 'the lab box did not accept the connection');
  });
  ssh.connect({
    host: settings.sshHost,
    port: settings.sshPort,
    username: user,
    privateKey,
    readyTimeout: 10_000,
    ...(settings.hostKey && { hostVerifier: (key: Buffer) => key.equals(settings.hostKey!) }),
  });
}

function parseMessage(text: string): TerminalMessage | undefined {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (value.type === 'input' && typeof value.data === 'string') return { type: 'input', data: value.data };
    const size = (n: unknown, max: number) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= max;
    if (value.type === 'resize' && size(value.cols, 500) && size(value.rows, 200))
      return { type: 'resize', cols: value.cols as number, rows: value.rows as number };
  } catch {
    // Not ours: ignored.
  }
  return undefined;
}
