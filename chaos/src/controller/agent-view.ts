import type { AgentFault, AgentService } from '../shared/agent-protocol.ts';
import type { Fault } from './fault-store.ts';

/** What an agent in `service` must carry out: its own faults, minus one-shot faults already done. */
export function agentView(faults: readonly Fault[], service: AgentService): AgentFault[] {
  return faults
    .filter((f) => f.spec.target === service && !(f.spec.family === 'worker-death' && f.spec.mode === 'exit' && f.executedAt))
    .map((f) => ({ id: f.id, ...f.spec, expiresAt: f.expiresAt.toISOString() }));
}
