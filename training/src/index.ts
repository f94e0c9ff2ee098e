// The training plane: scenario files (schema, loading, timeline planning, probes) and load (k6
// on the scripts in scenarios/load, started and stopped with a run).
export * from './scenario/scenario-schema.ts';
export { loadScenario, loadAllScenarios, listScenarioIds, defaultScenariosDir, type LoadedScenario, type LoadOptions } from './scenario/load-scenario.ts';
export { ScenarioError, type ScenarioProblem } from './scenario/scenario-error.ts';
export { leverMatches, poisonJob } from './scenario/levers.ts';
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
export { startLoad, resolveLoadScript, readSummary, loadScriptsDir, type LoadRequest, type LoadRun, type LoadSummary } from './load/k6-load.ts';
export { spawnK6, k6Binary, k6ThresholdsCrossed, type K6Process, type K6Exit, type K6Spawn } from './load/k6-process.ts';
export { loadProfiles, profileDefaults, isLoadProfile, durationSeconds, type LoadProfile, type ProfileDefaults } from './load/load-profiles.ts';
export { startTraining, type RunningTraining } from './server/start.ts';
export { trainingConfigSchema, loadTrainingConfig, type TrainingConfig } from './server/config.ts';
export { buildTrainingApp } from './server/app.ts';
export { trainingOpenApiDocument } from './ops/openapi.ts';
export { opsRoutes } from './ops/ops-routes.ts';
export { roles, type Role } from './ops/identity.ts';
export { flagCatalogue, flagNames, isFlagName, parseFlagText, type FlagName, type FlagValue } from './flags/flag-catalogue.ts';
export { parseLever, formatLever, leverUsage, rolesFor, type Lever } from './levers/lever.ts';
export { shopServices, baselineVersion, versionSchema, type ShopService } from './releases/release-history.ts';
export { createDeployMetrics } from './releases/deploy-metrics.ts';
export { runMilestones, type RunMilestones, type JournalEvent, type LeverPull } from './runs/run-milestones.ts';
export { runBot, diagnose, metricsObserver, type RunBotOptions, type BotOutcome, type Candidate, type Diagnosis } from './bot/index.ts';
export { runStates, type Run, type RunEvent, type RunState, type RunStatus, type ScenarioSummary } from './runs/runs-contract.ts';
export {
  finishedStates,
  isFinished,
  longPollMs,
  runsApi,
  toScenarioView,
  type ParTimes,
  type RunsApi,
  type RunsHttp,
  type ScenarioView,
  type StartRun,
} from './runs/runs-client.ts';
export {
  severities,
  incidentRoles,
  updateKinds,
  causeCategories,
  type Severity,
  type IncidentRole,
  type UpdateKind,
  type CauseCategory,
} from './incidents/incident-events.ts';
export { updateTemplates, updateTemplatesMarkdown, type UpdateTemplate } from './incidents/update-templates.ts';
export type { IncidentState, IncidentStatus, Incident, StatusUpdate } from './incidents/incident-state.ts';
export { gradeRun, type GradeInput, type GradedScenario } from './grading/grade-run.ts';
export { gradeSchema, type Grade } from './grading/grade-schema.ts';
export { defaultGrading, defaultWeights } from './grading/grading-weights.ts';
export { reportSchema, reportVersion, type RunReport, type TimelineEntry, type SliChart } from './reports/report-schema.ts';
export { scoreboardSchema, type Scoreboard } from './reports/scoreboard-schema.ts';
export { reportMarkdown } from './reports/report-markdown.ts';
export { reportHtml } from './reports/report-html.ts';
export { reportsApi, type ReportsApi } from './reports/reports-client.ts';
export { checkPir, type PirFinding, type CheckOptions } from './pir/pir-check.ts';
export { scorePir, findingWeights } from './pir/pir-score.ts';
export { draftPir } from './pir/pir-draft.ts';
export { maxPirBytes } from './pir/pir-service.ts';
export type { ImpactFigures } from './pir/impact-figures.ts';
export { runbookSchema, runbookKinds, type Runbook, type RunbookKind, type RunbookStep } from './runbooks/runbook-schema.ts';
export { loadRunbook, listRunbookFiles, runbookFile, defaultRunbooksDir, runbookSuffix, RunbookError, type LoadedRunbook } from './runbooks/load-runbook.ts';
export { planRunbook, describeAction, type RunbookPlan, type PlannedStep as PlannedRunbookStep } from './runbooks/runbook-plan.ts';
export { runRunbook, dryRunRunbook, type RunbookOutcome, type StepOutcome, type DryRunStep, type RunbookRunOptions } from './runbooks/runbook-runner.ts';
export type { RunbookExecutors, ExecutorResult, StepRecorder } from './runbooks/runbook-executors.ts';
export { runShellCommand } from './runbooks/shell-command.ts';
export { opsApiLever, opsApiStepRecorder, type OpsApiPost } from './runbooks/ops-api-ports.ts';
export { runbookStepStatuses, type RunbookStepStatus, type RunbookStepRecord } from './runbooks/runbook-step-record.ts';
export { loadQuiz, defaultQuizFile } from './quiz/load-quiz.ts';
export { gradeQuiz, type QuizGrade, type QuestionResult } from './quiz/quiz-grading.ts';
export { publicQuiz, type Quiz, type PublicQuiz, type QuizAnswers } from './quiz/quiz-schema.ts';
