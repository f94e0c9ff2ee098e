export { startPayments, type StartPaymentsOptions, type RunningPayments } from './start.ts';
export { paymentsConfigSchema, loadPaymentsConfig, type PaymentsConfig } from './config.ts';
export { buildPaymentsApp, type PaymentsAppDeps } from './app.ts';
export type { GatewayFault, GatewayFaults } from './domain/card-gateway.ts';
export { createPaymentMetrics } from './metrics.ts';
