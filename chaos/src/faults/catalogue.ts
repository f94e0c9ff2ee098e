import { z } from 'zod';
import { storableText } from '@firedrill/kit';
import { teamNamePattern, teamNameRule } from '@firedrill/conventions';

/**
 * Every fault an instructor can inject: its family, where it acts, its modes and settings.
 * One schema per family validates a request; the result is the fault's `spec`. Where a fault
 * acts decides who carries it out (see ARCHITECTURE.md, "Why faults sit where they sit"):
 * request-level faults by the agent inside the target service, network faults by Toxiproxy,
 * process faults by the worker itself.
 */

const rate = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const httpTarget = z.enum(['api', 'payments']);

/** The shop's services, as releases name them. */
export const releaseServices = ['api', 'payments', 'worker'] as const;

/**
 * A "bad release": the fault is what a version of a service brings. When that service is
 * redeployed (a rollback, or any other version), the training plane clears the faults bound to
 * its releases (POST /api/faults/clear-release), so the rollback is what ends the incident.
 */
export const releaseBinding = z
  .strictObject({
    service: z.enum(releaseServices),
    version: storableText()
      .max(64)
      .regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, 'must be a version such as "2.4.0"'),
  })
  .optional()
  .describe('The release this fault comes with: redeploying that service clears it');

/**
 * In a class (docs/decisions/0015), the team whose shop the fault acts on: only that team's agents
 * carry it out and network faults act on that team's proxies. Absent in a single-shop lab.
 */
export const faultTeam = z
  .string()
  .regex(teamNamePattern, `must be ${teamNameRule}`)
  .optional()
  .describe('The team whose shop the fault acts on, in a lab running a class (`lab up --teams`); absent for a single shop');

export const latencySpec = z.strictObject({
  family: z.literal('latency'),
  release: releaseBinding,
  team: faultTeam,
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
  release: releaseBinding,
  team: faultTeam,
  target: httpTarget,
  route: latencySpec.shape.route,
  rate: rate.default(0.5),
  status: z.number().int().min(500).max(599).default(500),
});

export const paymentFailuresSpec = z.strictObject({
  family: z.literal('payment-failures'),
  release: releaseBinding,
  team: faultTeam,
  target: z.literal('payments').default('payments'),
  mode: z.enum(['declined', 'gateway-error', 'timeout', 'unreachable']),
  rate: rate.default(0.5),
});

const networkModes = z.enum(['refused', 'blackhole', 'reset', 'slow']);

export const databaseLossSpec = z.strictObject({
  family: z.literal('database-loss'),
  release: releaseBinding,
  team: faultTeam,
  target: z.literal('postgres').default('postgres'),
  mode: networkModes.default('refused'),
  /** Added latency for mode "slow". */
  ms: z.number().int().min(1).max(60_000).default(500),
});

export const redisLossSpec = z.strictObject({
  family: z.literal('redis-loss'),
  release: releaseBinding,
  team: faultTeam,
  target: z.literal('redis').default('redis'),
  mode: networkModes.default('refused'),
  ms: z.number().int().min(1).max(60_000).default(500),
});

export const workerDeathSpec = z.strictObject({
  family: z.literal('worker-death'),
  release: releaseBinding,
  team: faultTeam,
  target: z.literal('worker').default('worker'),
  mode: z.enum(['exit', 'hang', 'crash-loop', 'slow']),
  /** How many times slower every job runs, for mode "slow". */
  factor: z.number().min(1.5).max(1000).default(10),
});

/**
 * The api checks Postgres clients out of its pool and, on a share of checkouts, never gives them
 * back (a release lost on an error path). The pool runs dry: requests wait for a client until
 * they time out, readiness fails on postgres. A restart frees the clients, but the leak resumes
 * while the fault lasts: only ending the fault (the rollback of a bad release) mends it.
 */
export const poolLeakSpec = z.strictObject({
  family: z.literal('pool-leak'),
  release: releaseBinding,
  team: faultTeam,
  target: z.literal('api').default('api'),
  /** Share of checkouts whose client is never released. */
  rate: rate.default(0.2),
});

/**
 * The api's heap grows: memory retained every second and on every request, never freed while
 * the fault lasts. GC pauses lengthen, then the process dies out of memory (the lab gives the
 * api a bounded heap) and the supervisor restarts it — again and again while the fault lasts.
 */
export const memoryLeakSpec = z.strictObject({
  family: z.literal('memory-leak'),
  release: releaseBinding,
  team: faultTeam,
  target: z.literal('api').default('api'),
  /** Heap retained per minute, whatever the traffic. */
  mbPerMinute: z.number().min(0).max(4096).default(60),
  /** Heap retained per request served (0: none). */
  kbPerRequest: z.number().min(0).max(10_240).default(0),
});

/**
 * Redis runs out of memory: in mode "fill" a "batch job" fills it with keys (batch:*), then the
 * controller sets maxmemory just under what is in use (noeviction), so every write is refused
 * (OOM command not allowed): enqueueing fulfilment fails, the outbox backlog grows, the worker idles.
 */
export const redisMemoryPressureSpec = z.strictObject({
  family: z.literal('redis-memory-pressure'),
  release: releaseBinding,
  team: faultTeam,
  target: z.literal('redis').default('redis'),
  /** fill: a batch job's keys fill Redis first; limit: maxmemory drops under what is in use now. */
  mode: z.enum(['fill', 'limit']).default('fill'),
  /** How full the batch job makes Redis in mode "fill", in MB; maxmemory ends just under it. */
  maxmemoryMb: z.number().int().min(1).max(1024).default(64),
});

/**
 * The api's payments client retries far more, far faster: a slow payments service (combine with
 * latency on payments) turns into a retry storm that multiplies its load.
 */
export const retryAmplificationSpec = z.strictObject({
  family: z.literal('retry-amplification'),
  release: releaseBinding,
  team: faultTeam,
  target: z.literal('api').default('api'),
  /** Attempts per charge (the shop's own setting is 3). */
  attempts: z.number().int().min(2).max(20).default(8),
  /** Base backoff between attempts, in ms (the shop's own is 100). */
  backoffMs: z.number().int().min(0).max(1_000).default(10),
});

export const faultSpec = z.discriminatedUnion('family', [
  latencySpec,
  errorsSpec,
  paymentFailuresSpec,
  databaseLossSpec,
  redisLossSpec,
  workerDeathSpec,
  poolLeakSpec,
  memoryLeakSpec,
  redisMemoryPressureSpec,
  retryAmplificationSpec,
]);

export type FaultSpec = z.output<typeof faultSpec>;
export type FaultFamily = FaultSpec['family'];
export type FaultTarget = FaultSpec['target'];

/** Who carries a family out: an agent in the target service, Toxiproxy, or the controller itself. */
export const executors: Record<FaultFamily, 'agent' | 'toxiproxy' | 'controller'> = {
  latency: 'agent',
  errors: 'agent',
  'payment-failures': 'agent',
  'database-loss': 'toxiproxy',
  'redis-loss': 'toxiproxy',
  'worker-death': 'agent',
  'pool-leak': 'agent',
  'memory-leak': 'agent',
  'redis-memory-pressure': 'controller',
  'retry-amplification': 'agent',
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
  {
    family: 'pool-leak',
    summary: 'The api leaks Postgres pool clients: a share of checkouts is never released, until the pool is empty.',
    targets: ['api'],
    settings: { rate: 'share of checkouts leaked, default 0.2' },
    symptoms:
      '/api/health/ready answers 503 naming postgres while Postgres itself is fine; requests wait for a client and fail after 2 s ' +
      '("timeout exceeded when trying to connect"); idle connections from the api pile up in pg_stat_activity. ' +
      'Restarting the api helps for a while, then the leak empties the pool again.',
  },
  {
    family: 'memory-leak',
    summary: "The api's heap grows (per minute and per request) until GC thrashes and the process dies out of memory, again after each restart.",
    targets: ['api'],
    settings: { mbPerMinute: 'default 60', kbPerRequest: 'default 0' },
    symptoms:
      'nodejs_heap_size_used_bytes and process_resident_memory_bytes of the api climb; GC time and event-loop lag rise, p99 latency with them; ' +
      'the api is OOM-killed ("JavaScript heap out of memory") and restarted by the supervisor, repeatedly: a crash loop.',
  },
  {
    family: 'redis-memory-pressure',
    summary: "Redis runs out of memory: in mode fill a batch job's keys (batch:*) fill it first; maxmemory drops just under what is in use (noeviction).",
    targets: ['redis'],
    modes: ['fill', 'limit'],
    settings: { mode: 'default fill', maxmemoryMb: 'how full the batch job makes Redis (fill), default 64' },
    symptoms:
      'Enqueues fail with "OOM command not allowed when used memory > \'maxmemory\'"; the outbox backlog grows, the worker idles, orders stay paid; ' +
      'redis_memory_used_bytes sits at redis_memory_max_bytes; batch:* keys hold the memory (fill). Raising maxmemory or deleting the keys mends it.',
  },
  {
    family: 'retry-amplification',
    summary: "The api's payments client retries many more times with almost no backoff: a slow payments service becomes a retry storm.",
    targets: ['api'],
    settings: { attempts: 'attempts per charge, default 8', backoffMs: 'default 10' },
    symptoms:
      'shop_payment_attempts_total grows much faster than checkouts (attempts per charge, shop_payment_charge_attempts, rises); ' +
      'payments sees a multiple of its usual request rate and slows further; retry warnings in the api log.',
  },
] as const;
