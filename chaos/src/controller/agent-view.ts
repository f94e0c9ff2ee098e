import type { AgentFault, AgentService } from '../shared/agent-protocol.ts';
import type { Fault } from './fault-store.ts';

/**
 * What an agent in `service` must carry out: its own faults, minus one-shot faults already done.
 * An agent of a team's shop (a class) gets only that team's; an agent without a team only faults without one.
 */
export function agentView(faults: readonly Fault[], service: AgentService, team?: string): AgentFault[] {
  return faults
    .filter((f) => f.spec.target === service && f.spec.team === team && !(f.spec.family === 'worker-death' && f.spec.mode === 'exit' && f.executedAt))
    .map((f) => ({ id: f.id, ...f.spec, expiresAt: f.expiresAt.toISOString() }));
}
