import type { FaultAgent } from './fault-agent.ts';

/** How a client should retry while a retry-amplification fault acts on its service. */
export interface RetryPolicyOverride {
  attempts: number;
  backoffMs: number;
}

/**
 * The payments client's hook: the attempts and base backoff a retry-amplification fault imposes,
 * or undefined when none is active (the client's own policy applies). With several, the most
 * aggressive wins: the most attempts, the shortest backoff.
 */
export function amplifiedRetryPolicy(agent: FaultAgent): RetryPolicyOverride | undefined {
  if (agent.idle) return undefined;
  const faults = agent.active('retry-amplification');
  if (faults.length === 0) return undefined;
  return { attempts: Math.max(...faults.map((f) => f.attempts)), backoffMs: Math.min(...faults.map((f) => f.backoffMs)) };
}
