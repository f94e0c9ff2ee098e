export { FaultAgent, disabledAgent, type AgentFault, type AgentService, type FaultAgentOptions } from './fault-agent.ts';
export { httpFaults, gatewayFault } from './http-faults.ts';
export { withProcessFaults, watchForExit, watchForCrashLoop, isPoisonJob, poisonJobId, PoisonJobError, type JobLike } from './process-faults.ts';
