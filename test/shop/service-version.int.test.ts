/**
 * A service started as the lab starts it (its own process, main.ts) with SERVICE_VERSION set:
 * every log line carries the version and /metrics says which release runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@firedrill/lab-infra/testing';
import { startService, stopService, type Service } from '../tracing/service-process.ts';

describe('service version', () => {
  let payments: Service;

  beforeAll(async () => {
    payments = await startService(
      'payments',
      { DATABASE_URL: await createTestDatabase('version'), SERVICE_VERSION: '2.4.0-rc.1', OTEL_TRACES_EXPORTER: 'none' },
      '/payments/health/ready',
    );
  }, 60_000);
  afterAll(() => stopService(payments));

  it('when a service runs a version, then every log line and shop_build_info name it', async () => {
    const metrics = await (await fetch(`${payments.url}/metrics`)).text();
    expect(metrics).toMatch(/^shop_build_info\{service="payments",version="2\.4\.0-rc\.1"\} 1$/m);
    expect(payments.logs.length).toBeGreaterThan(0);
    expect(payments.logs.filter((line) => line.version !== '2.4.0-rc.1')).toEqual([]);
    expect(payments.logs.every((line) => line.service === 'payments')).toBe(true);
  });
});
