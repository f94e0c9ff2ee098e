import { prometheusClient } from '@firedrill/kit';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateHttp, evaluateProbes, evaluatePromql, holdState, type ProbeRound } from './probes.ts';
import type { Probe } from './scenario-schema.ts';

describe('holdState', () => {
  const probes = [
    { name: 'p95', toleranceMs: 0 },
    { name: 'ready', toleranceMs: 10_000 },
  ];
  /** One round every 5 s from t=0; `failing` lists, per round, the probes that failed. */
  function rounds(...failing: string[][]): ProbeRound[] {
    return failing.map((names, index) => ({ at: index * 5000, results: probes.map(({ name }) => ({ probe: name, ok: !names.includes(name), detail: '' })) }));
  }

  it('when every probe has passed for the stability, then it holds since the first round', () => {
    expect(holdState(rounds([], [], [], []), probes, 15_000, 15_000)).toEqual({ state: 'holding', since: 0 });
  });

  it('when every probe passes but not yet for the stability, then it is passing, not holding', () => {
    expect(holdState(rounds([], [], []), probes, 15_000, 10_000)).toEqual({ state: 'passing', since: 0 });
  });

  it('when a probe without tolerance fails once, then the hold restarts at the next passing round', () => {
    expect(holdState(rounds([], ['p95'], [], [], []), probes, 10_000, 20_000)).toEqual({ state: 'holding', since: 10_000 });
    expect(holdState(rounds([], ['p95'], [], []), probes, 10_000, 15_000)).toEqual({ state: 'passing', since: 10_000 });
  });

  it('when a probe fails for no longer than its tolerance, then the blip does not break the hold', () => {
    expect(holdState(rounds([], ['ready'], ['ready'], [], []), probes, 20_000, 20_000)).toEqual({ state: 'holding', since: 0 });
  });

  it('when a probe fails for longer than its tolerance, then the hold restarts after it', () => {
    expect(holdState(rounds([], ['ready'], ['ready'], ['ready'], ['ready'], [], []), probes, 5000, 30_000)).toEqual({ state: 'holding', since: 25_000 });
  });

  it('when a probe is failing now beyond its tolerance, then it is failing and named', () => {
    expect(holdState(rounds([], [], ['p95']), probes, 5000, 10_000)).toEqual({ state: 'failing', failing: ['p95'] });
    expect(holdState(rounds([], ['ready'], ['ready'], ['ready']), probes, 5000, 16_000)).toEqual({ state: 'failing', failing: ['ready'] });
  });

  it('when a probe is failing now but within its tolerance, then it still holds', () => {
    expect(holdState(rounds([], [], [], ['ready']), probes, 15_000, 15_000)).toEqual({ state: 'holding', since: 0 });
  });

  it('when a probe has no result yet, then it is failing', () => {
    expect(holdState([], probes, 5000, 0)).toEqual({ state: 'failing', failing: ['p95', 'ready'] });
  });

  it('when the latest probe to recover is a different one each time, then the hold starts when the last one recovered', () => {
    expect(holdState(rounds(['p95', 'ready', 'x'], ['ready'], ['ready'], [], []), probes, 5000, 20_000)).toEqual({ state: 'holding', since: 15_000 });
  });
});

/** A stand-in for Prometheus' query API: answers per expression what the test sets. */
describe('probe evaluation over HTTP', () => {
  const answers = new Map<string, { status: number; body: unknown }>();
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const key = url.pathname === '/api/v1/query' ? (url.searchParams.get('query') ?? '') : url.pathname;
      const answer = answers.get(key) ?? { status: 404, body: { status: 'error', error: 'not found' } };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const vector = (...values: string[]) => ({
    status: 200,
    body: { status: 'success', data: { resultType: 'vector', result: values.map((value) => ({ metric: {}, value: [1, value] })) } },
  });

  it('when a comparison returns series, then the PromQL probe passes and shows the value', async () => {
    answers.set('p95 < 0.3', vector('0.12'));
    expect(await evaluatePromql(prometheusClient({ url: baseUrl }), 'p95 < 0.3')).toEqual({ ok: true, detail: '1 series, first 0.12' });
  });

  it('when a comparison filters every series out, then the PromQL probe fails', async () => {
    answers.set('p95 < 0.1', vector());
    expect(await evaluatePromql(prometheusClient({ url: baseUrl }), 'p95 < 0.1')).toEqual({ ok: false, detail: 'empty result' });
  });

  it('when a scalar comparison uses bool, then 1 passes and 0 fails', async () => {
    answers.set('1 > bool 0', { status: 200, body: { status: 'success', data: { resultType: 'scalar', result: [1, '1'] } } });
    answers.set('0 > bool 1', { status: 200, body: { status: 'success', data: { resultType: 'scalar', result: [1, '0'] } } });
    expect((await evaluatePromql(prometheusClient({ url: baseUrl }), '1 > bool 0')).ok).toBe(true);
    expect((await evaluatePromql(prometheusClient({ url: baseUrl }), '0 > bool 1')).ok).toBe(false);
  });

  it('when Prometheus refuses the expression, then the probe fails with its error', async () => {
    answers.set('p95 <', { status: 400, body: { status: 'error', errorType: 'bad_data', error: 'parse error: unexpected end of input' } });
    expect(await evaluatePromql(prometheusClient({ url: baseUrl }), 'p95 <')).toEqual({
      ok: false,
      detail: 'Prometheus: parse error: unexpected end of input',
    });
  });

  it('when Prometheus is unreachable, then the probe fails rather than counting as healthy', async () => {
    const result = await evaluatePromql(prometheusClient({ url: 'http://127.0.0.1:1' }), 'up == 1', 1000);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/^Prometheus unreachable: /);
  });

  it('when an HTTP check gets the status it expects, then it passes; another status fails', async () => {
    answers.set('/api/health/ready', { status: 503, body: { status: 'not ready' } });
    expect(await evaluateHttp(baseUrl, '/api/health/ready', 503)).toEqual({ ok: true, detail: 'HTTP 503' });
    expect(await evaluateHttp(baseUrl, '/api/health/ready', 200)).toEqual({ ok: false, detail: 'HTTP 503' });
  });

  it('when evaluating a round, then every kind gives a named result, and SQL without a connection fails', async () => {
    answers.set('/api/health/ready', { status: 200, body: {} });
    answers.set('up == 1', vector('1'));
    const probes: Probe[] = [
      { kind: 'promql', name: 'up', promql: 'up == 1', toleranceMs: 0 },
      { kind: 'http', name: 'ready', service: 'api', path: '/api/health/ready', status: 200, toleranceMs: 0 },
      { kind: 'sql', name: 'orders', sql: 'select true', database: 'shop', toleranceMs: 0 },
    ];
    const round = await evaluateProbes(
      probes,
      { prometheus: prometheusClient({ url: baseUrl }), serviceUrls: { api: baseUrl, payments: baseUrl }, databases: {} },
      42,
    );
    expect(round).toEqual({
      at: 42,
      results: [
        { probe: 'up', ok: true, detail: '1 series, first 1' },
        { probe: 'ready', ok: true, detail: 'HTTP 200' },
        { probe: 'orders', ok: false, detail: 'no connection to the shop database' },
      ],
    });
  });
});
