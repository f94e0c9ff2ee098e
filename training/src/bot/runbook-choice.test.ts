import { describe, expect, it } from 'vitest';
import { loadRunbook, runbookFile } from '../runbooks/load-runbook.ts';
import { planRunbook } from '../runbooks/runbook-plan.ts';
import { diagnose, type Candidate } from './diagnose.ts';
import { runbookFor } from './runbook-choice.ts';
import { deploy, observe, page, t0 } from './test-observations.ts';

const MB = 2 ** 20;

/** Observations that make diagnose.ts choose each lever it knows, so every one is checked against a real runbook. */
const situations = [
  observe({
    alerts: [page('ApiHighLatencyP95')],
    releases: [deploy('payments', '2.4.0', t0 - 30_000)],
    flags: { 'payments.fraud-check': true },
    metrics: { p95Seconds: { api: 0.6, payments: 0.55 } },
  }),
  observe({
    alerts: [page('PaymentFailures')],
    releases: [deploy('payments', '2.4.0', t0 - 30_000)],
    metrics: { paymentFailureRatio: 0.6, paymentFailures: [{ gateway: 'primary', reason: 'gateway_timeout', perSecond: 3 }] },
  }),
  observe({ alerts: [page('ApiErrors')], flags: { 'api.payment-retries': 8 }, metrics: { attemptsPerCharge: 4 } }),
  observe({ alerts: [page('DatabaseDown')], metrics: { apiDependencyUp: { postgres: false, redis: true, payments: true } } }),
  observe({
    alerts: [page('ApiNotReady')],
    releases: [deploy('api', '2.4.0', t0 - 30_000)],
    metrics: { apiDependencyUp: { postgres: false, redis: true, payments: true } },
  }),
  observe({ flags: { 'api.degraded-mode': true } }),
  observe({
    alerts: [page('ApiRestarts')],
    releases: [deploy('api', '2.4.0', t0 - 30_000)],
    metrics: { apiHeapSlopeBytesPerMinute: 20 * MB, apiHeapUsedBytes: 150 * MB, apiStarts10m: 2 },
  }),
  observe({ alerts: [page('WorkerHeartbeatAbsent')], metrics: { workerHeartbeatAgeSeconds: undefined, queueBacklog: 40 } }),
  observe({ alerts: [page('WorkerCrashLooping')], metrics: { workerStarts3m: 3 }, poisonJob: { id: 'legacy-f-1', crashes: 3 } }),
  observe({ alerts: [page('OutboxStuck')], metrics: { redisMemoryUsedBytes: 63 * MB, redisMemoryMaxBytes: 64 * MB, outboxOldestAgeSeconds: 60 } }),
];

const candidates: Candidate[] = [];
for (const obs of situations)
  for (const c of diagnose(obs).candidates) if (!candidates.some((k) => k.lever === c.lever && k.runbook === c.runbook)) candidates.push(c);

describe('the runbook for each lever', () => {
  it('when the situations are diagnosed, then they cover every kind of lever the bot pulls', () => {
    const kinds = new Set(
      candidates.map((c) =>
        c.lever
          .split(' ')
          .slice(0, c.lever.startsWith('flag') ? 2 : 1)
          .join(' '),
      ),
    );
    expect([...kinds].sort()).toEqual(
      [
        'dead-letter',
        'end-db-sessions',
        'failover',
        'flag api.degraded-mode',
        'flag api.payment-retries',
        'flag api.payment-timeout-ms',
        'flag api.payments-circuit-breaker',
        'flag payments.fraud-check',
        'redis-delete',
        'redis-maxmemory',
        'restart',
        'rollback',
        'scale',
      ].sort(),
    );
  });

  it.each(candidates.map((c) => [c.lever, c.runbook, c] as const))(
    'when the bot pulls "%s" (%s), then a runbook of docs/runbooks plans it with those parameters and pulls exactly that lever',
    (_lever, _page, candidate) => {
      const choice = runbookFor(candidate);
      expect(choice, candidate.lever).toBeDefined();
      const { runbook } = loadRunbook(runbookFile(choice!.runbook));
      const planned = planRunbook(runbook, choice!.params);
      expect(planned).toMatchObject({ ok: true });
      if (!planned.ok) return;
      const levers = planned.plan.steps.flatMap((s) => (s.action.kind === 'lever' ? [s.action.lever] : []));
      expect(levers[0]).toBe(candidate.lever);
      if (candidate.andThen) expect(levers).toContain(candidate.andThen);
      // The bot runs no shell commands: its runbooks act by levers and check by probes.
      expect(planned.plan.steps.filter((s) => s.action.kind === 'command')).toEqual([]);
    },
  );

  it('when payments is rolled back for failing charges rather than slow ones, then the runbook checks the failures, not the latency', () => {
    expect(runbookFor({ lever: 'rollback payments', runbook: 'payments.md' })).toEqual({ runbook: 'payments-rollback', params: {} });
    expect(runbookFor({ lever: 'rollback payments', runbook: 'latency.md' })).toEqual({ runbook: 'latency-rollback', params: { service: 'payments' } });
  });

  it('when a lever has no runbook, then none is chosen', () => {
    expect(runbookFor({ lever: 'flag shop.banner true', runbook: 'latency.md' })).toBeUndefined();
  });
});
