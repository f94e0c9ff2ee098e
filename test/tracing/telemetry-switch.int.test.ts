import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@firedrill/lab-infra/testing';
import { startOtlpReceiver } from './otlp-receiver.ts';
import { startService, stopService } from './service-process.ts';

/** One approved charge, written to the payments log inside its request. */
async function chargeOnce(paymentsUrl: string): Promise<string> {
  const orderId = crypto.randomUUID();
  const response = await fetch(`${paymentsUrl}/payments/charges`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ orderId, amountCents: 2490, currency: 'EUR', customer: { email: 'switch@approve.test' } }),
  });
  expect(response.status).toBe(201);
  return orderId;
}

describe('switching tracing on and off', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let databaseUrl: string;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    databaseUrl = await createTestDatabase('tswitch');
  });

  afterAll(async () => {
    await receiver?.close();
  });

  it('when OTEL_SDK_DISABLED=true, then the service exports no span and its logs carry no trace ids', async () => {
    const payments = await startService(
      'payments',
      { DATABASE_URL: databaseUrl, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'payments-off', OTEL_SDK_DISABLED: 'true' },
      '/payments/health/ready',
    );
    const orderId = await chargeOnce(payments.url);
    // A graceful stop flushes whatever the SDK buffered: with it off, there is nothing to send.
    await stopService(payments);

    expect(payments.child.exitCode).toBe(0);
    expect(receiver.spans.filter((s) => s.service === 'payments-off')).toEqual([]);
    const charged = payments.logs.find((l) => l.msg === 'charge approved' && l.orderId === orderId);
    expect(charged).toBeDefined();
    expect(charged).not.toHaveProperty('trace_id');
  });

  it('when a traced service is stopped, then the spans it still buffered are exported before it exits', async () => {
    const payments = await startService(
      'payments',
      // A batch delay far longer than the test: only the shutdown flush can deliver the span.
      { DATABASE_URL: databaseUrl, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'payments-on', OTEL_BSP_SCHEDULE_DELAY: '600000' },
      '/payments/health/ready',
    );
    const orderId = await chargeOnce(payments.url);
    await stopService(payments);

    expect(payments.child.exitCode).toBe(0);
    const request = receiver.spans.find((s) => s.service === 'payments-on' && s.name === 'POST /payments/charges');
    expect(request).toBeDefined();
    const charged = payments.logs.find((l) => l.msg === 'charge approved' && l.orderId === orderId);
    expect(charged?.trace_id).toBe(request?.traceId);
  });
});
