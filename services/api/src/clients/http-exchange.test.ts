import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpExchange } from './http-exchange.ts';
import { classifyFailure } from './payments-client.ts';

/** A real server: echoes POSTs, holds `/slow-body` half-answered, never answers `/silent`. */
let server: http.Server;
let baseUrl: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/silent') return;
    if (req.url === '/slow-body') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"half":');
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () =>
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, key: req.headers['idempotency-key'], body })),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('an HTTP exchange with payments', () => {
  it('when the server answers, then the status and the whole body come back, the request sent as given', async () => {
    const answer = await httpExchange(`${baseUrl}/payments/charges`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1' },
      body: '{"amountCents":1800,"note":"café"}',
      timeoutMs: 2_000,
    });
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.text)).toEqual({ method: 'POST', key: 'k-1', body: '{"amountCents":1800,"note":"café"}' });
  });

  it.each(['/silent', '/slow-body'])('when %s outlasts the timeout, then it fails with a TimeoutError, a retryable timeout', async (path) => {
    const error = await httpExchange(`${baseUrl}${path}`, { timeoutMs: 150 }).catch((err: unknown) => err);
    expect((error as Error).name).toBe('TimeoutError');
    expect(classifyFailure(error)).toMatchObject({ outcome: 'timeout', retryable: true });
  });

  it('when nothing listens, then it fails with the socket error, a retryable network error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await httpExchange(`http://127.0.0.1:${port}/payments/health/live`, { timeoutMs: 2_000 }).catch((err: unknown) => err);
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    expect(classifyFailure(error)).toMatchObject({ outcome: 'network_error', retryable: true });
  });
});
