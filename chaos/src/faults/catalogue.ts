import { z } from 'zod';
import { storableText } from '@firedrill/kit';

/**
 * Every fault an instructor can inject: its family, where it acts, its modes and settings.
 * One schema per family validates a request; the result is the fault's `spec`. Where a fault
 * acts decides who carries it out (see ARCHITECTURE.md, "Why faults sit where they sit"):
 * request-level faults by the agent inside the target service, network faults by Toxiproxy,
 * process faults by the worker itself.
 */

const rate = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const httpTarget = z.enum(['api', 'payments']);

export const latencySpec = z.strictObject({
  family: z.literal('latency'),
  target: httpTarget,
  /** Only requests whose route template matches, e.g. "POST /api/orders"; all when absent. */
  route: storableText()
    .regex(/^(GET|POST|PUT|PATCH|DELETE) \/\S*$/, 'must look like "POST /api/orders"')
    .optional(),
  ms: z.number().int().min(1).max(60_000),
  jitterMs: z.number().int().min(0).max(60_000).default(0),
  rate: rate.default(1),
});

export const errorsSpec = z.strictObject({
  family: z.literal('errors'),
  target: httpTarget,
  route: latencySpec.shape.route,
  rate: rate.default(0.5),
  status: z.number().int().min(500).max(599).default(500),
});

export const paymentFailuresSpec = z.strictObject({
  family: z.literal('payment-failures'),
  target: z.literal('payments').default('payments'),
  mode: z.enum(['declined', 'gateway-error', 'timeout', 'unreachable']),
  rate: rate.default(0.5),
});

const networkModes = z.enum(['refused', 'blackhole', 'reset', 'slow']);

export const databaseLossSpec = z.strictObject({
  family: z.literal('database-loss'),
  target: z.literal('postgres').default('postgres'),
  mode: networkModes.default('refused'),
  /** Added latency for mode "slow". */
  ms: z.number().int().min(1).max(60_000).default(500),
});

export const redisLossSpec = z.strictObject({
  family: z.literal('redis-loss'),
  target: z.literal('redis').default('redis'),
  mode: networkModes.default('refused'),
  ms: z.number().int().min(1).max(60_000).default(500),
});

export const workerDeathSpec = z.strictObject({
  family: z.literal('worker-death'),
  target: z.literal('worker').default('worker'),
  mode: z.enum(['exit', 'hang', 'crash-loop', 'slow']),
  /** How many times slower every job runs, for mode "slow". */
  factor: z.number().min(1.5).max(1000).default(10),
});

export const faultSpec = z.discriminatedUnion('family', [latencySpec, errorsSpec, paymentFailuresSpec, databaseLossSpec, redisLossSpec, workerDeathSpec]);

export type FaultSpec = z.output<typeof faultSpec>;
export type FaultFamily = FaultSpec['family'];
export type FaultTarget = FaultSpec['target'];

/** Who carries a family out. */
export const executors: Record<FaultFamily, 'agent' | 'toxiproxy'> = {
  latency: 'agent',
  errors: 'agent',
  'payment-failures': 'agent',
  'database-loss': 'toxiproxy',
  'redis-loss': 'toxiproxy',
  'worker-death': 'agent',
};

/** The catalogue as served to instructors: families, what they need, what trainees will see. */
export const catalogue = [
  {
    family: 'latency',
    summary: 'Delays requests to a service (optionally one route) by ms ± jitter, on a share of requests.',
    targets: ['api', 'payments'],
    settings: { target: 'required', route: 'optional, e.g. "POST /api/orders"', ms: 'required, 1–60000', jitterMs: 'default 0', rate: 'default 1' },
    symptoms: 'p95/p99 latency rises on the target and on its callers; traces show where the time goes.',
  },
  {
    family: 'errors',
    summary: 'Answers a share of requests to a service with HTTP 5xx.',
    targets: ['api', 'payments'],
    settings: { target: 'required', route: 'optional', rate: 'default 0.5', status: 'default 500' },
    symptoms: 'The 5xx rate rises on the target (and on the api, when payments fails).',
  },
  {
    family: 'payment-failures',
    summary: 'The card gateway misbehaves: declines, gateway errors, timeouts, or payments unreachable.',
    targets: ['payments'],
    modes: ['declined', 'gateway-error', 'timeout', 'unreachable'],
    settings: { mode: 'required', rate: 'default 0.5' },
    symptoms: 'payment_processed_total shifts by status/reason; payment error logs; /payments/gateway/status degrades.',
  },
  {
    family: 'database-loss',
    summary: 'Breaks the network path to Postgres (Toxiproxy).',
    targets: ['postgres'],
    modes: ['refused', 'blackhole', 'reset', 'slow'],
    settings: { mode: 'default refused', ms: 'latency for slow, default 500' },
    symptoms: '/api/health/ready answers 503; connection errors in logs; api 5xx; recovery once cleared.',
  },
  {
    family: 'redis-loss',
    summary: 'Breaks the network path to Redis (Toxiproxy).',
    targets: ['redis'],
    modes: ['refused', 'blackhole', 'reset', 'slow'],
    settings: { mode: 'default refused', ms: 'latency for slow, default 500' },
    symptoms: 'Enqueue failures, readiness 503, the fulfilment queue stalls (orders stay paid).',
  },
  {
    family: 'worker-death',
    summary: 'The worker exits and stays down, hangs while looking alive, crash-loops on a poison job, or slows down.',
    targets: ['worker'],
    modes: ['exit', 'hang', 'crash-loop', 'slow'],
    settings: { mode: 'required', factor: 'for slow, default 10' },
    symptoms: 'Queue depth and job age climb; orders stay paid; the heartbeat stops (except under hang).',
  },
] as const;
