export { FaultAgent, disabledAgent, type AgentFault, type AgentService, type FaultAgentOptions } from './fault-agent.ts';
export { httpFaults, gatewayFault, type GatewayFaultMode } from './http-faults.ts';
export { withProcessFaults, watchForExit, watchForCrashLoop, isPoisonJob, poisonJobId, type JobLike } from './process-faults.ts';
export { agentConfigShape, startFaultAgent, type AgentConfig } from './agent-config.ts';
export { leakPoolClients, type PoolLeak, type PoolLike } from './pool-leak.ts';
export { amplifiedRetryPolicy, type RetryPolicyOverride } from './retry-amplification.ts';
export { HeapLeak } from './heap-leak.ts';
