// The training plane. For now: scenario files (schema, loading, timeline planning, probes).
export * from './scenario/scenario-schema.ts';
export { loadScenario, loadAllScenarios, listScenarioIds, defaultScenariosDir, type LoadedScenario, type LoadOptions } from './scenario/load-scenario.ts';
export { ScenarioError, type ScenarioProblem } from './scenario/scenario-error.ts';
export { parseLever, leverMatches, leverForms, poisonJob, type Lever } from './scenario/levers.ts';
export { planTimeline, pickFromPool, speedWarnings, scaled, type TimelinePlan, type PlannedStep, type PlannedAction } from './scenario/timeline.ts';
export {
  evaluateProbe,
  evaluateProbes,
  evaluatePromql,
  evaluateHttp,
  evaluateSql,
  holdState,
  type ProbeResult,
  type ProbeRound,
  type ProbeTargets,
  type HoldState,
} from './scenario/probes.ts';
export { readAlertNames } from './scenario/alert-names.ts';
export * from './scenario/shop-vocabulary.ts';
