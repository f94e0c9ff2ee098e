import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@firedrill/lab-infra';
import { createTestDatabase, testQueuePrefix, testRedisUrl } from '@firedrill/lab-infra/testing';
import { startOtlpReceiver, type ReceivedSpan } from './otlp-receiver.ts';
import { startService, stopService, type Service } from './service-process.ts';

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

describe('one checkout, one trace', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let payments: Service | undefined;
  let api: Service | undefined;
  let worker: Service | undefined;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const common = { DATABASE_URL: await createTestDatabase('trace'), OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url };
    const queue = { REDIS_URL: testRedisUrl(), QUEUE_PREFIX: testQueuePrefix() };
    payments = await startService('payments', { ...common, GATEWAY_LATENCY_MEDIAN_MS: '5' }, '/payments/health/ready');
    api = await startService('api', { ...common, ...queue, PAYMENTS_URL: payments.url, OUTBOX_POLL_MS: '200' }, '/api/health/ready');
    worker = await startService('worker', { ...common, ...queue, FULFIL_DURATION_MS: '5' }, '/health/ready');
  });

  afterAll(async () => {
    await Promise.all([stopService(worker), stopService(api), stopService(payments)]);
    await receiver?.close();
  });

  it('when an order is placed and fulfilled, then api, payments and worker spans form one trace, and the logs carry its ids', async () => {
    const placed = await fetch(`${api!.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify({ items: [{ productId: 'espresso-beans-1kg', quantity: 1 }], customer: { email: 'trace@approve.test' } }),
    });
    expect(placed.status).toBe(201);
    const order = (await placed.json()) as { id: string };

    await waitFor(
      'order fulfilled',
      async () => ((await (await fetch(`${api!.url}/api/orders/${order.id}`)).json()) as { status: string }).status === 'fulfilled',
      { timeoutMs: 20_000, intervalMs: 100 },
    );

    const checkout = await waitFor(
      'the checkout trace, worker included',
      async () => {
        const root = receiver.spans.find((s) => s.service === 'api' && s.kind === SERVER && s.name === 'POST /api/orders');
        const trace = root && receiver.spans.filter((s) => s.traceId === root.traceId);
        return trace?.some((s) => s.service === 'worker' && s.kind === CONSUMER && trace.some((p) => p.spanId === s.parentSpanId)) && trace;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    const traceId = checkout[0]!.traceId;
    const find = (service: string, kind: number, name: string | RegExp) =>
      checkout.find((s) => s.service === service && s.kind === kind && (typeof name === 'string' ? s.name === name : name.test(s.name)));
    const parentOf = (span: ReceivedSpan | undefined) => checkout.find((s) => s.spanId === span?.parentSpanId);
    const descendsFrom = (span: ReceivedSpan | undefined, ancestor: ReceivedSpan | undefined): boolean => {
      for (let up = parentOf(span); up; up = parentOf(up)) if (up === ancestor) return true;
      return false;
    };

    // api: the request (named after its express route), a database query in it, the call to payments.
    const apiRequest = find('api', SERVER, 'POST /api/orders');
    expect(apiRequest?.parentSpanId).toBe('');
    expect(checkout.some((s) => s.service === 'api' && s.scope.includes('instrumentation-pg'))).toBe(true);
    const chargeCall = find('api', CLIENT, /^POST/);
    expect(chargeCall?.attributes['url.full']).toBe(`${payments!.url}/payments/charges`);

    // payments: its request span continues the api's call (traceparent over HTTP), with queries.
    const chargeRequest = find('payments', SERVER, 'POST /payments/charges');
    expect(chargeRequest?.parentSpanId).toBe(chargeCall?.spanId);
    expect(checkout.some((s) => s.service === 'payments' && s.scope.includes('instrumentation-pg'))).toBe(true);

    // queue: the api's send (inside the checkout request, through the outbox) → the worker's job.
    const send = find('api', PRODUCER, 'send fulfilment');
    expect(descendsFrom(send, apiRequest)).toBe(true);
    // …through Redis: ioredis is imported as an ES module, so this span needs the kit's loader hook.
    const enqueue = checkout.find((s) => s.service === 'api' && s.scope.includes('instrumentation-ioredis'));
    expect(descendsFrom(enqueue, send)).toBe(true);
    const job = find('worker', CONSUMER, 'process fulfilment');
    expect(job?.parentSpanId).toBe(send?.spanId);
    expect(job?.attributes['messaging.message.id']).toBe(order.id);
    expect(checkout.some((s) => s.service === 'worker' && s.scope.includes('instrumentation-pg') && s.parentSpanId === job?.spanId)).toBe(true);

    // logs: written inside the request and inside the job, they name the trace and their span.
    const fulfilled = worker!.logs.find((l) => l.msg === 'order fulfilled' && l.orderId === order.id);
    expect(fulfilled).toMatchObject({ trace_id: traceId, span_id: job?.spanId });
    const chargeLog = payments!.logs.find((l) => l.msg === 'charge approved' && l.orderId === order.id);
    expect(chargeLog?.trace_id).toBe(traceId);
    expect(checkout.some((s) => s.service === 'payments' && s.spanId === chargeLog?.span_id)).toBe(true);
  });
});
