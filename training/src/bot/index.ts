// The bot trainee: a responder that uses only what a trainee has (alerts, metrics, releases,
// flags, the run's status, levers with the operator token).
export { runBot, type RunBotOptions } from './run-bot.ts';
export { respond, type ResponderDeps, type BotOutcome } from './respond.ts';
export { diagnose, type Candidate, type Diagnosis } from './diagnose.ts';
export { decide, remember, defaultPolicyOptions, type Decision, type PolicyOptions, type Pull, type ResponderMemory } from './responder-policy.ts';
export { traineeClients, type TraineeClients } from './trainee-clients.ts';
export { metricsObserver } from './metrics-observer.ts';
export type { Observations, ShopMetrics, RunView, FiringAlert, ReleaseRecord } from './observations.ts';
