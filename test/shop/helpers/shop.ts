import path from 'node:path';
import pg from 'pg';
import { createLogger } from '@firedrill/kit';
import { freePort } from '@firedrill/lab-infra';
import { paymentsConfigSchema, startPayments, type GatewayFaults, type RunningPayments } from '@firedrill/payments';
import { workerConfigSchema, startWorker, type RunningWorker } from '@firedrill/worker';
import { apiConfigSchema, startApi, type ApiConfig, type RunningApi } from '@firedrill/api';
import { createTestDatabase, testQueuePrefix, testRedisUrl } from '@firedrill/lab-infra/testing';

/** Log level of the services under test; `TEST_LOG_LEVEL=info npx vitest …` to see them. */
export const testLogger = (service: string) => createLogger(service, process.env.TEST_LOG_LEVEL ?? 'silent');

export interface ShopOptions {
  databaseUrl?: string;
  redisUrl?: string;
  queuePrefix?: string;
  /** Start payments on this port (default: a random one); `false` to leave payments down. */
  payments?: { port?: number; env?: Record<string, string>; gatewayFaults?: GatewayFaults } | false;
  api?: Partial<Record<keyof ApiConfig, string>>;
}

/** The real api and the real payments service, in-process, on a database of the test's own. */
export class Shop {
  api!: RunningApi;
  payments: RunningPayments | undefined;
  workers: RunningWorker[] = [];
  db!: pg.Pool;
  databaseUrl!: string;
  redisUrl!: string;
  queuePrefix!: string;
  paymentsPort!: number;
  paymentsOptions: { env?: Record<string, string>; gatewayFaults?: GatewayFaults } = {};

  static async start(options: ShopOptions = {}): Promise<Shop> {
    const shop = new Shop();
    shop.databaseUrl = options.databaseUrl ?? (await createTestDatabase('api'));
    shop.redisUrl = options.redisUrl ?? testRedisUrl();
    shop.queuePrefix = options.queuePrefix ?? testQueuePrefix();
    shop.paymentsPort = (options.payments ? options.payments.port : undefined) ?? (await freePort());
    if (options.payments) shop.paymentsOptions = options.payments;
    shop.db = new pg.Pool({ connectionString: shop.databaseUrl, max: 2 });
    shop.db.on('error', () => {}); // the test may stop this Postgres on purpose
    if (options.payments !== false) await shop.startPayments();
    shop.api = await startApi(
      apiConfigSchema.parse({
        PORT: '0',
        DATABASE_URL: shop.databaseUrl,
        REDIS_URL: shop.redisUrl,
        QUEUE_PREFIX: shop.queuePrefix,
        PAYMENTS_URL: `http://127.0.0.1:${shop.paymentsPort}`,
        PAYMENTS_TIMEOUT_MS: '1000',
        OUTBOX_POLL_MS: '200',
        ...options.api,
      }),
      { logger: testLogger('api') },
    );
    return shop;
  }

  async startPayments(): Promise<void> {
    this.payments = await startPayments(
      paymentsConfigSchema.parse({
        PORT: String(this.paymentsPort),
        DATABASE_URL: this.databaseUrl,
        GATEWAY_DECLINE_RATE: '0',
        GATEWAY_LATENCY_MEDIAN_MS: '2',
        ...this.paymentsOptions.env,
      }),
      { logger: testLogger('payments'), ...(this.paymentsOptions.gatewayFaults && { gatewayFaults: this.paymentsOptions.gatewayFaults }) },
    );
  }

  async startWorker(env: Record<string, string> = {}): Promise<RunningWorker> {
    const worker = await startWorker(workerConfigSchema.parse({ PORT: '0', ...this.workerEnv(), ...env }), { logger: testLogger('worker') });
    this.workers.push(worker);
    return worker;
  }

  /** Environment for a worker of this shop, in-process or as a child process. */
  workerEnv(): Record<string, string> {
    return {
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redisUrl,
      QUEUE_PREFIX: this.queuePrefix,
      FULFIL_DURATION_MS: '5',
      JOB_LOCK_MS: '2000',
      STALLED_INTERVAL_MS: '1000',
    };
  }

  placeOrder(body: unknown, key: string | undefined, init: { contentType?: string; rawBody?: string } = {}) {
    const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json' };
    if (key !== undefined) headers['idempotency-key'] = key;
    return fetch(`${this.api.url}/api/orders`, { method: 'POST', headers, body: init.rawBody ?? JSON.stringify(body) });
  }

  async getOrder(id: string): Promise<Json> {
    const res = await fetch(`${this.api.url}/api/orders/${id}`);
    return (await res.json()) as Json;
  }

  async orderRows(): Promise<number> {
    return (await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM shop.orders')).rows[0]!.n;
  }

  async chargesFor(orderId: string): Promise<number> {
    return (await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM payments.charges WHERE order_id = $1', [orderId])).rows[0]!.n;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await this.api?.close();
    await this.payments?.close();
    await this.db.end();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

export function anOrder(email = 'ada@approve.test', items = [{ productId: 'espresso-beans-1kg', quantity: 2 }]) {
  return { items, customer: { email } };
}

export const newKey = () => `test-${crypto.randomUUID()}`;
