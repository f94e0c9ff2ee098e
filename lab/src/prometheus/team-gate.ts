import http from 'node:http';
import { basicAuthorization, type BasicCredentials } from '@firedrill/kit';

/**
 * A team's way to Prometheus: forwards every request to the team's prom-label-proxy with the
 * lab's Prometheus credentials in place of whatever Authorization the caller sent.
 *
 * Why a gate in front rather than behind: prom-label-proxy cannot add upstream credentials
 * itself (v0.11: it forwards the caller's headers as they are). In front, the only path that
 * carries the credentials leads through the label enforcement; the label proxy's own port is
 * useless without them (Prometheus answers 401), and nothing credentialed skips the enforcement.
 */
export function startTeamGate(options: { host: string; port: number; upstream: string; credentials: BasicCredentials }): Promise<http.Server> {
  const upstream = new URL(options.upstream);
  const authorization = basicAuthorization(options.credentials);
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers, host: upstream.host, authorization };
    const forward = http.request({ hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Bad Gateway', status: 502, detail: "the team's prom-label-proxy cannot be reached" }));
    });
    req.pipe(forward);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}
