import { describe, expect, it } from 'vitest';
import { diagnose } from './diagnose.ts';
import { deploy, observe, page, t0 } from './test-observations.ts';

const MB = 2 ** 20;
const levers = (obs: Parameters<typeof diagnose>[0]) => diagnose(obs).candidates.map((c) => c.lever);

describe('diagnose, one lab at a time, from what a trainee sees', () => {
  it('when the shop is healthy, then it finds nothing and proposes nothing', () => {
    expect(diagnose(observe())).toEqual({ symptoms: [], candidates: [], worsening: false });
  });

  it('when payments p95 rises right after a payments deploy (Lab 1), then rollback payments first, the fraud check flag second, with the deploy as evidence', () => {
    const obs = observe({
      alerts: [page('ApiHighLatencyP95', t0, { service: 'payments' })],
      releases: [deploy('payments', '2.4.0', t0 - 40_000)],
      flags: { 'payments.fraud-check': true },
      metrics: { p95Seconds: { api: 0.62, payments: 0.55 } },
    });
    const diagnosis = diagnose(obs);
    expect(diagnosis.candidates.map((c) => c.lever)).toEqual(['rollback payments', 'flag payments.fraud-check false']);
    expect(diagnosis.candidates[0]?.effect).toBe('ends');
    expect(diagnosis.candidates[0]?.evidence.join(' ')).toMatch(/payments 2\.4\.0 deployed at .* \(was 2\.3\.0\)/);
    expect(diagnosis.symptoms).toEqual(['payments p95 is 550 ms (over 300 ms)']);
  });

  it('when payments is slow but its last deploy was long before the page, then it does not blame the release', () => {
    const obs = observe({
      alerts: [page('ApiHighLatencyP95')],
      releases: [deploy('payments', '2.4.0', t0 - 3 * 60 * 60_000)],
      metrics: { p95Seconds: { api: 0.62, payments: 0.55 } },
    });
    expect(levers(obs)).not.toContain('rollback payments');
  });

  it('when payments was already rolled back, then the rolled-back release is no suspect', () => {
    const obs = observe({
      alerts: [page('ApiHighLatencyP95')],
      releases: [
        { service: 'payments', action: 'rollback', version: '2.3.0', previousVersion: '2.4.0', at: t0 - 5_000 },
        deploy('payments', '2.4.0', t0 - 60_000),
      ],
      metrics: { p95Seconds: { api: 0.62, payments: 0.55 } },
    });
    expect(levers(obs)).not.toContain('rollback payments');
  });

  it('when charges fail by gateway timeouts at the primary gateway (Lab 2), then failover payments first, a shorter payment timeout second', () => {
    const obs = observe({
      alerts: [page('PaymentSuccessRateLow')],
      metrics: {
        paymentFailureRatio: 0.38,
        paymentFailures: [{ gateway: 'primary', reason: 'gateway_timeout', perSecond: 1.9 }],
        p95Seconds: { api: 1.6, payments: 1.5 },
      },
    });
    const diagnosis = diagnose(obs);
    expect(diagnosis.candidates.map((c) => c.lever)).toEqual(['failover payments', 'flag api.payment-timeout-ms 800']);
    expect(diagnosis.candidates[0]?.evidence.join(' ')).toMatch(/primary card gateway/);
    expect(diagnosis.symptoms.join('; ')).toMatch(/38% of charges fail \(gateway_timeout at the primary gateway/);
  });

  it('when charges fail while payments already runs on the secondary gateway, then it does not fail over again', () => {
    const obs = observe({
      alerts: [page('PaymentSuccessRateLow')],
      flags: { 'payments.secondary-gateway': true },
      metrics: { paymentFailureRatio: 0.3, paymentFailures: [{ gateway: 'secondary', reason: 'gateway_error', perSecond: 1 }] },
    });
    expect(levers(obs)).not.toContain('failover payments');
  });

  it('when readiness names postgres after an api deploy (Lab 3a, pool leak), then rollback api first, restart and end-db-sessions only after it', () => {
    const obs = observe({
      alerts: [page('ApiNotReady'), page('DatabaseDown')],
      releases: [deploy('api', '2.4.1', t0 - 90_000)],
      metrics: { apiDependencyUp: { postgres: false, redis: true, payments: true }, postgresServerUp: true },
    });
    const diagnosis = diagnose(obs);
    expect(diagnosis.candidates.map((c) => c.lever)).toEqual(['rollback api', 'restart api', 'end-db-sessions']);
    expect(diagnosis.candidates.map((c) => c.effect)).toEqual(['ends', 'eases', 'eases']);
  });

  it('when readiness names postgres with no recent api deploy (Lab 3b, network), then degraded mode on, and nothing to restart or roll back', () => {
    const obs = observe({
      alerts: [page('ApiNotReady'), page('DatabaseDown')],
      metrics: { apiDependencyUp: { postgres: false, redis: true, payments: true }, postgresServerUp: true },
    });
    expect(levers(obs)).toEqual(['flag api.degraded-mode true']);
    // Already degraded: the bot waits for the path to return.
    expect(levers({ ...obs, flags: { ...obs.flags, 'api.degraded-mode': true } })).toEqual([]);
  });

  it('when the database is back and degraded mode is still on, then it proposes switching degraded mode off', () => {
    const obs = observe({ flags: { 'api.degraded-mode': true } });
    expect(diagnose(obs).candidates).toMatchObject([{ lever: 'flag api.degraded-mode false', effect: 'restores' }]);
  });

  it('when the queue climbs with no worker heartbeat (Lab 4, exit), then restart worker first, scale it second', () => {
    const obs = observe({
      alerts: [page('WorkerHeartbeatAbsent')],
      metrics: { workerHeartbeatAgeSeconds: undefined, workerJobsPerSecond: undefined, queueBacklog: 42, queueBacklogSlopePerMinute: 20, queueActive: 0 },
    });
    const diagnosis = diagnose(obs);
    expect(diagnosis.candidates.map((c) => c.lever)).toEqual(['restart worker', 'scale worker 2']);
    expect(diagnosis.symptoms[0]).toMatch(/no worker heartbeat while 42 jobs wait/);
  });

  it('when the worker beats but finishes nothing with jobs active (Lab 4, hang), then restart worker', () => {
    const obs = observe({
      alerts: [page('WorkerNotProcessing')],
      metrics: { workerHeartbeatAgeSeconds: 2, workerJobsPerSecond: 0, queueActive: 3, queueBacklog: 25, queueBacklogSlopePerMinute: 12 },
    });
    expect(levers(obs)).toEqual(['restart worker', 'scale worker 2']);
  });

  it('when the worker crash-loops and its fatal lines name one job again and again (Lab 4, crash loop), then dead-letter that job, then restart', () => {
    const obs = observe({
      alerts: [page('WorkerCrashLooping')],
      metrics: { workerStarts3m: 3, workerJobsPerSecond: 0, queueBacklog: 30, queueBacklogSlopePerMinute: 10 },
      poisonJob: { id: 'legacy-f-123', crashes: 3 },
    });
    const diagnosis = diagnose(obs);
    expect(diagnosis.candidates).toMatchObject([{ lever: 'dead-letter legacy-f-123', andThen: 'restart worker', effect: 'ends' }]);
    // A restart alone does not end a crash loop: it is not offered instead.
    expect(levers(obs)).not.toContain('restart worker');
  });

  it('when the worker crash-loops but no job is named yet, then it proposes nothing and says what it lacks', () => {
    const diagnosis = diagnose(observe({ alerts: [page('WorkerCrashLooping')], metrics: { workerStarts3m: 2 } }));
    expect(diagnosis.candidates).toEqual([]);
    expect(diagnosis.symptoms.join(' ')).toMatch(/no job named/);
  });

  it('when Redis is at maxmemory and the outbox cannot dispatch (Lab 5), then raise maxmemory first, delete the batch keys second', () => {
    const obs = observe({
      alerts: [{ ...page('OutboxBacklogGrowing'), severity: 'ticket' }],
      metrics: { redisMemoryUsedBytes: 64 * MB, redisMemoryMaxBytes: 64 * MB, outboxOldestAgeSeconds: 48, outboxDispatchFailuresPerSecond: 0.8 },
    });
    expect(levers(obs)).toEqual(['redis-maxmemory 256', 'redis-delete batch:*']);
  });

  it('when Redis is full but the outbox drains, then it is no incident of the shop', () => {
    expect(levers(observe({ metrics: { redisMemoryUsedBytes: 64 * MB, redisMemoryMaxBytes: 64 * MB } }))).toEqual([]);
  });

  it('when the heap climbs and the api restarted again and again after an api deploy (heap war story), then rollback api first, restart only after', () => {
    const obs = observe({
      alerts: [page('ApiHighLatencyP95', t0, { service: 'api' })],
      releases: [deploy('api', '2.5.0', t0 - 4 * 60_000)],
      metrics: { apiHeapUsedBytes: 170 * MB, apiHeapSlopeBytesPerMinute: 115 * MB, apiStarts10m: 3, p95Seconds: { api: 0.45, payments: 0.06 } },
    });
    const diagnosis = diagnose(obs);
    expect(diagnosis.candidates.map((c) => c.lever)).toEqual(['rollback api', 'restart api']);
    expect(diagnosis.worsening).toBe(true);
    // Three starts, one of them the deploy's own.
    expect(diagnosis.candidates[0]?.evidence.join(' ')).toMatch(/started 2 times in 10 minutes that no release explains/);
  });

  it('when paged for an api that died just after an api deploy (heap war story, native lab), then it reads the climb from the last 3 minutes, not from the fresh process: restart first, rollback next', () => {
    const obs = observe({
      alerts: [page('ServiceRestartingUnexpectedly', t0, { service: 'api' })],
      releases: [deploy('api', '2.5.0', t0 - 70_000)],
      // Started again a few seconds ago: small now, near its 192 MB bound moments before.
      metrics: { apiHeapUsedBytes: 38 * MB, apiHeapPeakBytes: 186 * MB, apiHeapSlopeBytesPerMinute: 125 * MB, apiStarts10m: 2 },
    });
    const diagnosis = diagnose(obs);
    expect(diagnosis.candidates.map((c) => [c.lever, c.effect])).toEqual([
      ['restart api', 'eases'],
      ['rollback api', 'ends'],
    ]);
    expect(diagnosis.worsening).toBe(true);
    expect(diagnosis.symptoms).toEqual([
      "the api's heap grows 125 MB a minute in each life (up to 186 MB in the last 3 minutes)",
      'api dies and is started again with no release to explain it',
    ]);
    expect(diagnosis.candidates[1]?.evidence.join(' ')).toMatch(/started 1 time in 10 minutes that no release explains.*api 2\.5\.0 deployed at/);
  });

  it("when the api was rolled back a minute ago, then the climb its readings still show is the old release's: no heap lever", () => {
    const obs = observe({
      at: t0 + 120_000,
      alerts: [page('ServiceRestartingUnexpectedly', t0, { service: 'api' })],
      releases: [{ service: 'api', action: 'rollback', version: '2.3.0', previousVersion: '2.5.0', at: t0 + 60_000 }, deploy('api', '2.5.0', t0 - 70_000)],
      metrics: { apiHeapUsedBytes: 50 * MB, apiHeapPeakBytes: 186 * MB, apiHeapSlopeBytesPerMinute: 125 * MB, apiStarts10m: 4 },
    });
    expect(levers(obs)).toEqual([]);
    expect(diagnose(obs).worsening).toBe(false);
  });

  it('when payments dies again and again after a payments deploy with its memory flat, then rollback payments from the restart alert alone', () => {
    const obs = observe({
      alerts: [page('ServiceRestartingUnexpectedly', t0, { service: 'payments' })],
      releases: [deploy('payments', '2.4.0', t0 - 50_000)],
    });
    expect(diagnose(obs).candidates).toMatchObject([{ lever: 'rollback payments', effect: 'ends', runbook: 'availability.md' }]);
  });

  it('when a service dies with no release behind it and no climbing memory, then it names the symptom and proposes nothing', () => {
    const diagnosis = diagnose(observe({ alerts: [page('ServiceRestartingUnexpectedly', t0, { service: 'payments' })] }));
    expect(diagnosis).toEqual({ symptoms: ['payments dies and is started again with no release to explain it'], candidates: [], worsening: false });
  });

  it('when the heap climbs for the first time after an api deploy, then the tempting restart comes first but the rollback is still on the list', () => {
    const obs = observe({
      alerts: [page('ApiHighLatencyP95')],
      releases: [deploy('api', '2.5.0', t0 - 60_000)],
      metrics: { apiHeapUsedBytes: 130 * MB, apiHeapSlopeBytesPerMinute: 120 * MB, apiStarts10m: 0 },
    });
    expect(levers(obs)).toEqual(['restart api', 'rollback api']);
  });

  it('when a freshly started api fills its heap towards its usual ~60 MB, then that climb is no leak', () => {
    const obs = observe({
      alerts: [page('ApiHighLatencyP95')],
      releases: [deploy('api', '2.4.1', t0 - 60_000)],
      metrics: { apiHeapUsedBytes: 55 * MB, apiHeapSlopeBytesPerMinute: 40 * MB, apiStarts10m: 1 },
    });
    expect(diagnose(obs)).toMatchObject({ symptoms: [], candidates: [], worsening: false });
  });

  it('when attempts per charge are up with retries raised (retry storm), then retries back to 3 first, the circuit breaker second, and not the slow payments levers', () => {
    const obs = observe({
      alerts: [page('ApiHighLatencyP95'), page('ApiErrorRateHigh')],
      flags: { 'api.payment-retries': 8 },
      metrics: { attemptsPerCharge: 5.2, p95Seconds: { api: 2.4, payments: 0.9 }, errorRatio: { api: 0.12, payments: 0.02 } },
    });
    const diagnosis = diagnose(obs);
    expect(diagnosis.candidates.map((c) => c.lever)).toEqual(['flag api.payment-retries 3', 'flag api.payments-circuit-breaker true']);
    expect(diagnosis.symptoms).toEqual(['each charge calls payments 5.2 times on average']);
  });

  it("when a failing gateway costs ~1.5 calls a charge at the shop's default retries, then it is no retry storm", () => {
    const obs = observe({
      alerts: [page('PaymentSuccessRateLow')],
      metrics: { attemptsPerCharge: 1.6, paymentFailureRatio: 0.4, paymentFailures: [{ gateway: 'primary', reason: 'gateway_timeout', perSecond: 2 }] },
    });
    expect(levers(obs)[0]).toBe('failover payments');
    expect(levers(obs)).not.toContain('flag api.payments-circuit-breaker true');
  });
});
