import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { paymentsConfigSchema, startPayments, type StartPaymentsOptions } from '../../src/index.ts';
import { createTestDatabase } from '@firedrill/lab-infra/testing';

export interface TestPayments {
  url: string;
  /** Direct access to the service's database, for assertions on what was stored. */
  db: pg.Pool;
  close(): Promise<void>;
}

/**
 * A payments service of the test's own: its own database, port 0, a fast and predictable card
 * network (ordinary customers are approved unless the test says otherwise).
 */
export async function startTestPayments(env: Record<string, string> = {}, options: StartPaymentsOptions = {}): Promise<TestPayments> {
  const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase('payments'));
  const config = paymentsConfigSchema.parse({
    PORT: '0',
    LOG_LEVEL: 'silent',
    GATEWAY_DECLINE_RATE: '0',
    GATEWAY_LATENCY_MEDIAN_MS: '5',
    GATEWAY_LATENCY_SIGMA: '0',
    GATEWAY_TIMEOUT_MS: '300',
    ...env,
    DATABASE_URL: databaseUrl,
  });
  const service = await startPayments(config, options);
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  return {
    url: service.url,
    db,
    async close() {
      await service.close();
      await db.end();
    },
  };
}

export function chargeBody(overrides: Record<string, unknown> = {}) {
  return {
    orderId: `order-${randomUUID()}`,
    amountCents: 2490,
    currency: 'EUR',
    customer: { email: 'ada@example.com' },
    ...overrides,
  };
}

export function postCharge(
  url: string,
  body: unknown,
  options: { idempotencyKey?: string | null; contentType?: string; rawBody?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  const key = options.idempotencyKey === undefined ? randomUUID() : options.idempotencyKey;
  if (key !== null) headers['idempotency-key'] = key;
  return fetch(`${url}/payments/charges`, { method: 'POST', headers, body: options.rawBody ?? JSON.stringify(body) });
}

/** Response bodies in tests are read as loosely typed JSON. */
export async function json(res: Response): Promise<any> {
  return res.json();
}

export async function chargeRows(db: pg.Pool, where: { idempotencyKey?: string; orderId?: string }) {
  const { rows } = await db.query(
    'SELECT * FROM payments.charges WHERE ($1::text IS NULL OR idempotency_key = $1) AND ($2::text IS NULL OR order_id = $2) ORDER BY created_at',
    [where.idempotencyKey ?? null, where.orderId ?? null],
  );
  return rows;
}
