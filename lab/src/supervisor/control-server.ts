import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { bearerToken, tokensMatch } from '@firedrill/kit';
import { versionSchema } from '@firedrill/training';
import { RefusedChangeError, type Supervisor, UnknownProcessError } from './supervisor.ts';

/**
 * The supervisor's control API, on loopback only: the CLI's way in.
 *   GET  /status         every process with its pid, state, health, uptime, restarts
 *   POST /restart/:name  restart one process now (also one that exited 0 and stays down)
 *   POST /deploy/:name   {version}: restart a shop service (and its replicas) on that version, kept for later starts
 *   POST /scale/:name    {count}: run that many processes of a scalable service (the worker)
 *   POST /shutdown       stop everything in reverse order; the supervisor then exits
 * Every route that changes something wants `Authorization: Bearer <token>` (the state dir's
 * supervisor-token): loopback alone would let any local user, a trainee among them, restart or
 * stop the lab. 401 without it. GET /status is open: an on-call engineer's `lab status` on the
 * lab box reads it, and it shows no more than `ps` and `ss` do (names, pids, ports, health).
 */
export function startControlServer(supervisor: Supervisor, port: number, token: string, onShutdown: () => void): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const presented = bearerToken(req.headers.authorization);
    const readOnly = req.method === 'GET' && url.pathname === '/status';
    if (!readOnly && (presented === undefined || !tokensMatch(presented, token))) {
      res.setHeader('www-authenticate', 'Bearer realm="lab supervisor"');
      // The body is not read: close the connection rather than leave it for another request.
      res.setHeader('connection', 'close');
      return problem(res, 401, 'unauthorized', "send the supervisor's token (<state dir>/secrets/supervisor-token) as a bearer token");
    }
    const restart = /^\/restart\/([a-z0-9-]+)$/.exec(url.pathname);
    const change = /^\/(deploy|scale)\/([a-z0-9-]+)$/.exec(url.pathname);
    void (async () => {
      if (req.method === 'GET' && url.pathname === '/status') {
        return send(res, 200, { supervisor: { pid: process.pid, shuttingDown: supervisor.shuttingDown }, services: await supervisor.status() });
      }
      if (req.method === 'POST' && restart) {
        const name = restart[1]!;
        await supervisor.restart(name);
        const status = (await supervisor.status()).find((s) => s.name === name);
        return send(res, 200, status);
      }
      if (req.method === 'POST' && change) {
        const [, action, name] = change as unknown as [string, 'deploy' | 'scale', string];
        const body = await readJson(req);
        if (action === 'deploy') {
          const version = (body as { version?: unknown } | undefined)?.version;
          if (typeof version !== 'string' || !versionSchema.safeParse(version).success)
            return problem(res, 400, 'validation_failed', 'send {"version": "<semantic version, e.g. 2.4.0>"}');
          const instances = await supervisor.deploy(name, version);
          return send(res, 200, { name, version, processes: await Promise.all(instances.map((p) => p.status())) });
        }
        const count = (body as { count?: unknown } | undefined)?.count;
        if (typeof count !== 'number' || !Number.isInteger(count)) return problem(res, 400, 'validation_failed', 'send {"count": <whole number of processes>}');
        const instances = await supervisor.scale(name, count);
        return send(res, 200, { name, count: instances.length, processes: await Promise.all(instances.map((p) => p.status())) });
      }
      if (req.method === 'POST' && url.pathname === '/shutdown') {
        send(res, 202, { status: 'shutting down' });
        return onShutdown();
      }
      return problem(res, 404, 'not_found', `no route ${req.method} ${url.pathname}`);
    })().catch((err: Error) => {
      if (err instanceof UnknownProcessError) return problem(res, 404, 'unknown_process', err.message, { known: err.known });
      if (err instanceof RefusedChangeError) return problem(res, 409, 'refused', err.message);
      if (err instanceof SyntaxError) return problem(res, 400, 'malformed_json', err.message);
      return problem(res, 409, 'control_failed', err.message);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`control port ${port} is already in use: another lab on this port base?`) : err),
    );
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** A small JSON body (the CLI's and the training process's), or undefined when there is none. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 4_096) throw new SyntaxError('the body is larger than 4 KiB');
  }
  return text.trim() === '' ? undefined : JSON.parse(text);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function problem(res: ServerResponse, status: number, code: string, detail: string, extra: object = {}): void {
  if (res.headersSent) return;
  res
    .writeHead(status, { 'content-type': 'application/problem+json' })
    .end(JSON.stringify({ type: 'about:blank', title: code, status, code, detail, ...extra }));
}
