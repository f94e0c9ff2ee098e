import type { Candidate } from './diagnose.ts';

/** An executable runbook of docs/runbooks/ and the parameters to run it with. */
export interface RunbookChoice {
  runbook: string;
  params: Record<string, string>;
}

/**
 * Which executable runbook carries out a lever the diagnosis chose: the bot pulls no lever by hand,
 * it runs the runbook that pulls it (and checks it worked, and records each step on the timeline).
 * The prose page the candidate came from picks between runbooks that pull the same lever
 * (`rollback payments` is latency-rollback for slow charges, payments-rollback for failing ones).
 * Undefined: no runbook does it, which a unit test keeps from happening for every lever diagnose.ts
 * can choose.
 */
export function runbookFor(candidate: Pick<Candidate, 'lever' | 'runbook'>): RunbookChoice | undefined {
  const words = candidate.lever.split(' ');
  const [verb, first, second] = words;
  const choice = (runbook: string, params: Record<string, string> = {}): RunbookChoice => ({ runbook, params });
  switch (verb) {
    case 'rollback':
      if (first === 'payments') return candidate.runbook === 'payments.md' ? choice('payments-rollback') : choice('latency-rollback', { service: 'payments' });
      if (first === 'api') return candidate.runbook === 'database.md' ? choice('database-rollback-api') : choice('api-rollback');
      return undefined;
    case 'failover':
      return first === 'payments' ? choice('payments-failover') : undefined;
    case 'restart':
      if (first === 'worker') return choice('worker-restart');
      if (first === 'api') return choice('api-restart');
      return undefined;
    case 'scale':
      return first === 'worker' && second ? choice('worker-scale-up', { count: second }) : undefined;
    case 'dead-letter':
      // The runbook dead-letters the job, then restarts the worker.
      return first ? choice('worker-dead-letter', { job: first }) : undefined;
    case 'end-db-sessions':
      return choice('database-end-sessions');
    case 'redis-maxmemory':
      return first ? choice('redis-raise-maxmemory', { mb: first }) : undefined;
    case 'redis-delete':
      return first ? choice('redis-delete-keys', { pattern: first }) : undefined;
    case 'flag':
      return flagRunbook(first, second);
    default:
      return undefined;
  }
}

function flagRunbook(flag: string | undefined, value: string | undefined): RunbookChoice | undefined {
  if (value === undefined) return undefined;
  switch (flag) {
    case 'payments.fraud-check':
      return value === 'false' ? { runbook: 'latency-fraud-check-off', params: {} } : undefined;
    case 'api.degraded-mode':
      return { runbook: value === 'true' ? 'database-degraded-mode' : 'database-degraded-mode-off', params: {} };
    case 'api.payment-timeout-ms':
      return { runbook: 'payments-timeout-shorter', params: { ms: value } };
    case 'api.payment-retries':
      return { runbook: 'payments-retries-lower', params: { retries: value } };
    case 'api.payments-circuit-breaker':
      return value === 'true' ? { runbook: 'payments-circuit-breaker-on', params: {} } : undefined;
    default:
      return undefined;
  }
}
