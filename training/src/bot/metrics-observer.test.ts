import type { PrometheusClient } from '@firedrill/kit';
import { describe, expect, it } from 'vitest';
import { metricsObserver } from './metrics-observer.ts';

/**
 * A class's Prometheus as the observer sees it: blue's Redis is up with 3 MB used, green's is down
 * with 9 MB used (its last sample); a query naming a team answers that team's series, one naming
 * none answers the max over both teams (what `max(...)` over a class returns). Every query is kept.
 */
function classPrometheus() {
  const asked: string[] = [];
  const perTeam: Record<string, Record<string, number>> = {
    redis_up: { blue: 1, green: 0 },
    redis_memory_used_bytes: { blue: 3 * 2 ** 20, green: 9 * 2 ** 20 },
  };
  const prometheus: PrometheusClient = {
    url: 'http://prometheus.test',
    credentials: undefined,
    async fetch(pathAndQuery) {
      const query = new URLSearchParams(pathAndQuery.split('?')[1]).get('query') ?? '';
      asked.push(query);
      const metric = Object.keys(perTeam).find((name) => query.includes(`(${name}`));
      const team = /team="([a-z0-9]+)"/.exec(query)?.[1];
      const values = metric ? perTeam[metric]! : { blue: 1, green: 1 };
      const value = team ? values[team] : Math.max(...Object.values(values));
      return Response.json({ data: { result: value === undefined ? [] : [{ metric: {}, value: [0, String(value)] }] } });
    },
  };
  return { prometheus, asked };
}

describe('the bot observer in a class', () => {
  it("when green's run is observed, then its Redis figures are green's own, not the class's best or worst", async () => {
    const { prometheus } = classPrometheus();
    const metrics = await metricsObserver(prometheus, { team: 'green' }).observe();
    expect(metrics.redisServerUp).toBe(false);
    expect(metrics.redisMemoryUsedBytes).toBe(9 * 2 ** 20);
    const blue = await metricsObserver(prometheus, { team: 'blue' }).observe();
    expect(blue.redisServerUp).toBe(true);
    expect(blue.redisMemoryUsedBytes).toBe(3 * 2 ** 20);
  });

  it("when a team's run is observed, then every query names that team except the shared Postgres' pg_up", async () => {
    const { prometheus, asked } = classPrometheus();
    await metricsObserver(prometheus, { team: 'blue' }).observe();
    expect(asked.length).toBeGreaterThan(20);
    const unscoped = asked.filter((q) => !q.includes('team="blue"'));
    expect(unscoped).toEqual(['max(pg_up)']);
    // Every selector of a query names the team, not just the first (a ratio has two).
    const attempts = asked.find((q) => q.includes('shop_payment_charge_attempts_sum'));
    expect(attempts?.match(/team="blue"/g)).toHaveLength(2);
  });

  it('when the single lab is observed (no team), then the queries are sent as written, naming no team', async () => {
    const { prometheus, asked } = classPrometheus();
    const metrics = await metricsObserver(prometheus).observe();
    expect(asked.some((q) => q.includes('team='))).toBe(false);
    expect(asked).toContain('max(redis_up)');
    expect(metrics.redisServerUp).toBe(true);
  });
});
