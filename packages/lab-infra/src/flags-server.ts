import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type FlagValue = boolean | number | string;

/**
 * A stand-in for the lab's flags API, for tests and benches: GET /api/flags answers
 * `{ version, flags }` to the right Bearer token, 401 otherwise. `set` bumps the version as the
 * lab's store does; `unreachable` makes it refuse to answer (503) without closing the port, as a
 * lab process that is up but failing would. Its token is written to a file (mode 0600), as the lab
 * writes the agent token, so a service under test is configured exactly as in the lab (`serviceEnv`).
 */
export class FlagsServer {
  readonly url: string;
  readonly #server: Server;
  #version = 1;
  #flags: Record<string, FlagValue> = {};
  #failing = false;
  /** Requests answered so far (any status), so a test can wait for a poll. */
  requests = 0;

  /** The file holding the token the server asks for. */
  readonly tokenFile: string;

  private constructor(server: Server, url: string, tokenFile: string) {
    this.#server = server;
    this.url = url;
    this.tokenFile = tokenFile;
  }

  /** Listens on `port` (default: any free one) for requests carrying `token` (default: a random one). */
  static async start(flags: Record<string, FlagValue> = {}, options: { port?: number; token?: string } = {}): Promise<FlagsServer> {
    const token = options.token ?? randomBytes(32).toString('base64url');
    const tokenFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'flags-server-')), 'agent-token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    let self: FlagsServer | undefined;
    const server = createServer((req, res) => {
      self!.requests += 1;
      if (req.method !== 'GET' || req.url !== '/api/flags') return void res.writeHead(404).end();
      if (req.headers.authorization !== `Bearer ${token}`)
        return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":"unauthorized"}');
      if (self!.#failing) return void res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ version: self!.#version, flags: self!.#flags }));
    });
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    self = new FlagsServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tokenFile);
    self.#flags = { ...flags };
    return self;
  }

  get version(): number {
    return this.#version;
  }

  /** Sets flags (undefined removes one) as a new version of the store. */
  set(changes: Record<string, FlagValue | undefined>): number {
    const next = { ...this.#flags };
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) delete next[name];
      else next[name] = value;
    }
    this.#flags = next;
    return ++this.#version;
  }

  /** While true, every poll is answered 503. */
  set unreachable(failing: boolean) {
    this.#failing = failing;
  }

  /** The variables that point a service at this server, as the lab sets them. */
  serviceEnv(): { FLAGS_URL: string; CHAOS_AGENT_TOKEN_FILE: string } {
    return { FLAGS_URL: this.url, CHAOS_AGENT_TOKEN_FILE: this.tokenFile };
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    rmSync(path.dirname(this.tokenFile), { recursive: true, force: true });
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
