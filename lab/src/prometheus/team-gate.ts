import http from 'node:http';
import { basicAuthorization, basicCredentialsOf, type BasicCredentials, bearerToken, tokensMatch } from '@firedrill/kit';

/** One team's gate: where it listens, its team's prom-label-proxy, and the token its callers must send. */
export interface TeamGate {
  team: string;
  port: number;
  upstream: string;
  token: string;
}

/**
 * A team's way to Prometheus: takes only callers that send the team's own token (a bearer token,
 * or the password of basic auth — what curl sends for a URL carrying `team:token@`, as a
 * runbook's `$FIREDRILL_PROMETHEUS_URL` does; anyone else, another team's trainee included, gets
 * 401 on every path), and forwards their
 * requests to the team's prom-label-proxy with the lab's Prometheus credentials in place of the
 * caller's Authorization.
 *
 * Why a token of its own: the gate listens on loopback, where every local user (each team's
 * trainees on the lab box) can connect; without one, blue's trainee could read green's series
 * through green's port.
 *
 * Why a gate in front rather than behind: prom-label-proxy cannot add upstream credentials
 * itself (v0.11: it forwards the caller's headers as they are). In front, the only path that
 * carries the credentials leads through the label enforcement; the label proxy's own port is
 * useless without them (Prometheus answers 401), and nothing credentialed skips the enforcement.
 */
export function startTeamGate(options: { host: string; gate: TeamGate; credentials: BasicCredentials }): Promise<http.Server> {
  const { gate } = options;
  const upstream = new URL(gate.upstream);
  const authorization = basicAuthorization(options.credentials);
  const server = http.createServer((req, res) => {
    const presented = bearerToken(req.headers.authorization) ?? basicCredentialsOf(req.headers.authorization)?.password;
    if (presented === undefined || !tokensMatch(presented, gate.token)) return refuse(res, gate.team);
    const headers = { ...req.headers, host: upstream.host, authorization };
    const forward = http.request({ hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Bad Gateway', status: 502, detail: `team ${gate.team}'s prom-label-proxy cannot be reached` }));
    });
    req.pipe(forward);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(gate.port, options.host, () => resolve(server));
  });
}

/** Every team's gate in one process (one Node process for the class, not one per team): one server per port. */
export async function startTeamGates(options: { host: string; gates: readonly TeamGate[]; credentials: BasicCredentials }): Promise<http.Server[]> {
  const servers: http.Server[] = [];
  try {
    for (const gate of options.gates) servers.push(await startTeamGate({ host: options.host, gate, credentials: options.credentials }));
    return servers;
  } catch (err) {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    throw err;
  }
}

function refuse(res: http.ServerResponse, team: string): void {
  res.setHeader('www-authenticate', `Bearer realm="team ${team} prometheus"`);
  // The body is not read: close the connection rather than leave it for another request.
  res.setHeader('connection', 'close');
  res.writeHead(401, { 'content-type': 'application/problem+json' }).end(
    JSON.stringify({
      type: 'about:blank',
      title: 'unauthorized',
      status: 401,
      code: 'unauthorized',
      detail: `send team ${team}'s Prometheus token as a bearer token (a trainee's is ~/.config/firedrill/prometheus-auth-header: curl -H @that-file)`,
    }),
  );
}
