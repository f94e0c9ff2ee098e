import { prometheusClient } from '@firedrill/kit';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherImpactFigures } from './gather-impact-figures.ts';

/**
 * The gatherer against a stand-in Prometheus that answers by query (the real rules are tested by
 * promtool in prometheus/tests): which series it asks for, at which time, over which range, and
 * how it turns the SLO's recorded error ratio into budget burned.
 */
const asked: Array<{ query: string; time: string }> = [];
let answers: Record<string, number | undefined> = {};
let prometheus: Server;
let url = '';

beforeAll(async () => {
  prometheus = createServer((req, res) => {
    const params = new URL(req.url ?? '/', 'http://x').searchParams;
    const query = params.get('query') ?? '';
    asked.push({ query, time: params.get('time') ?? '' });
    const key = Object.keys(answers).find((k) => query.includes(k));
    const value = key === undefined ? undefined : answers[key];
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({ status: 'success', data: { resultType: 'vector', result: value === undefined ? [] : [{ metric: {}, value: [0, String(value)] }] } }),
    );
  });
  await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => prometheus.close(() => resolve())));

const window = { startMs: Date.parse('2025-03-04T10:00:00Z'), endMs: Date.parse('2025-03-04T10:10:00Z'), endedBy: 'probes held' as const };
const shopQuery = async (sql: string, values: unknown[]) => {
  expect(sql).toContain("status = 'payment_failed'");
  expect(values).toEqual([new Date(window.startMs), new Date(window.endMs)]);
  return { rows: [{ failed: 37 }] };
};

describe('gatherImpactFigures', () => {
  it('when Prometheus and the shop database answer, then each figure is read over the window, at its end', async () => {
    answers = {
      'http_requests_total{service="api"': 4.4,
      payment_processed_total: 11.6,
      'slo:sli_error:ratio_rate5m': 0.05,
      'slo:error_budget:ratio': 0.005,
      'slo:time_period:days': 1,
    };
    asked.length = 0;
    const figures = await gatherImpactFigures(window, { prometheus: prometheusClient({ url }), shopQuery });
    // 5% bad for 600 s against 0.5% allowed over a 1-day period: 0.05×600 / (0.005×86400) = 6.9%.
    expect(figures).toEqual({ ordersFailed: 37, checkoutErrors: 4, paymentsFailed: 12, errorBudgetBurnedPercent: 6.9, notes: [] });
    expect(asked.every((a) => a.time === String(window.endMs / 1000))).toBe(true);
    expect(asked.filter((a) => a.query.includes('[600s]'))).toHaveLength(3);
  });

  it("when the run was a class's team's, then every Prometheus figure is read from that team's series only", async () => {
    answers = { payment_processed_total: 3 };
    asked.length = 0;
    const figures = await gatherImpactFigures(window, { prometheus: prometheusClient({ url }), shopQuery, team: 'blue' });
    expect(figures.paymentsFailed).toBe(3);
    expect(asked.length).toBeGreaterThan(0);
    for (const { query } of asked) expect(query).toContain('team="blue"');
  });

  it('when Prometheus cannot be reached and the shop database is away, then every figure is null with a note for each source', async () => {
    const figures = await gatherImpactFigures(window, {
      prometheus: prometheusClient({ url: 'http://127.0.0.1:9' }),
      shopQuery: () => Promise.reject(new Error('connection refused')),
      timeoutMs: 500,
    });
    expect(figures).toMatchObject({ ordersFailed: null, checkoutErrors: null, paymentsFailed: null, errorBudgetBurnedPercent: null });
    expect(figures.notes).toHaveLength(2);
    expect(figures.notes.join('\n')).toMatch(/Prometheus .* did not answer[\s\S]*shop's database did not answer: connection refused/);
  });

  it('when the SLO rules have no value over the window, then budget burned is unknown but the other figures stand', async () => {
    answers = { payment_processed_total: 0, 'slo:error_budget:ratio': 0.005, 'slo:time_period:days': 1 };
    const figures = await gatherImpactFigures(window, { prometheus: prometheusClient({ url }), shopQuery });
    expect(figures.errorBudgetBurnedPercent).toBeNull();
    expect(figures.paymentsFailed).toBe(0);
    expect(figures.notes).toEqual(['the SLO recording rules had no value over the impact window']);
  });

  it('when the impact never ended, then nothing is asked and the figures are unknown', async () => {
    asked.length = 0;
    const figures = await gatherImpactFigures({ ...window, endMs: null, endedBy: null }, { prometheus: prometheusClient({ url }), shopQuery });
    expect(figures.ordersFailed).toBeNull();
    expect(asked).toEqual([]);
  });
});
