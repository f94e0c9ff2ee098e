import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ServiceResources,
  createLogger,
  createPool,
  createRegistry,
  migrateAtStartup,
  registerBuildInfo,
  startHttpServer,
  startServiceFlags,
  type Logger,
} from '@firedrill/kit';
import { buildPaymentsApp } from './app.ts';
import type { PaymentsConfig } from './config.ts';
import { startFaultAgent, gatewayFault, type FaultAgent } from '@firedrill/chaos/agent';
import { createCardGateway, type GatewayFault, type GatewayFaults } from './domain/card-gateway.ts';
import { createFraudScreen } from './domain/fraud-screen.ts';
import { GatewayWindow } from './domain/gateway-window.ts';
import { paymentsFlags } from './flags.ts';
import { createPaymentMetrics } from './metrics.ts';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export interface StartPaymentsOptions {
  logger?: Logger;
  /** The chaos agent; by default one is made from CHAOS_URL (off when unset). */
  agent?: FaultAgent;
  /** The chaos agent's hook into the simulated card network (see GatewayFaults). */
  gatewayFaults?: GatewayFaults;
  /** Randomness of the simulated card networks; tests pass a seeded generator. */
  random?: () => number;
}

export interface RunningPayments {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Pool → migrations → app → listen. close() stops taking requests, lets in-flight ones finish, then
 * closes the pool and the agent; a failed start closes whatever it had opened.
 */
export async function startPayments(config: Readonly<PaymentsConfig>, options: StartPaymentsOptions = {}): Promise<RunningPayments> {
  const logger = options.logger ?? createLogger({ service: 'payments', version: config.SERVICE_VERSION }, config.LOG_LEVEL);
  await using resources = new ServiceResources(logger);
  const agent = resources.add('chaos agent', options.agent ?? startFaultAgent('payments', config, logger), (a) => a.close());
  const flags = resources.add('flags', await startServiceFlags('payments', config, logger), (f) => f.close());
  const pool = resources.add('postgres pool', createPool({ connectionString: config.DATABASE_URL, max: config.DB_POOL_MAX }, logger), (p) => p.end());
  await migrateAtStartup(pool, { schema: 'payments', dir: migrationsDir }, logger);

  const registry = createRegistry('payments');
  registerBuildInfo(registry, { service: 'payments', version: config.SERVICE_VERSION });
  // Payment failures act inside the primary card network only (see card-gateway.ts): the
  // secondary is what payments fails over to.
  const gatewayFaults =
    options.gatewayFaults ??
    ((): GatewayFault | undefined => {
      const mode = gatewayFault(agent);
      return mode && { mode };
    });
  const app = buildPaymentsApp({
    agent,
    pool,
    readyTimeoutMs: config.READY_TIMEOUT_MS,
    registry,
    logger,
    metrics: createPaymentMetrics(registry),
    flags: paymentsFlags(flags.client),
    fraudScreen: createFraudScreen({ costMs: config.FRAUD_CHECK_MS }),
    gateways: {
      primary: {
        name: 'primary',
        window: new GatewayWindow(),
        network: createCardGateway({
          declineRate: config.GATEWAY_DECLINE_RATE,
          latencyMedianMs: config.GATEWAY_LATENCY_MEDIAN_MS,
          latencySigma: config.GATEWAY_LATENCY_SIGMA,
          timeoutMs: config.GATEWAY_TIMEOUT_MS,
          ...(options.random && { random: options.random }),
          faults: gatewayFaults,
        }),
      },
      secondary: {
        name: 'secondary',
        window: new GatewayWindow(),
        network: createCardGateway({
          declineRate: config.SECONDARY_GATEWAY_DECLINE_RATE,
          latencyMedianMs: config.SECONDARY_GATEWAY_LATENCY_MEDIAN_MS,
          latencySigma: config.SECONDARY_GATEWAY_LATENCY_SIGMA,
          // Payments' patience is the same whichever network it waits for.
          timeoutMs: config.GATEWAY_TIMEOUT_MS,
          ...(options.random && { random: options.random }),
        }),
      },
    },
  });

  const server = resources.add('http server', await startHttpServer(app, { port: config.PORT, host: config.HOST }), (s) => s.close());
  logger.info({ url: server.url, health: `${server.url}/payments/health/ready`, metrics: `${server.url}/metrics` }, 'payments listening');

  return { url: server.url, port: server.port, close: resources.handOver() };
}
