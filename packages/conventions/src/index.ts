export { PromqlTeamError, withTeamMatcher, withTeamSelector } from './promql-team.ts';
export { teamNamePattern, teamNameRule, teamNameSource } from './team-name.ts';
import type { MetricDefinition } from './metric-definition.ts';
import { apiMetrics } from './api-metrics.ts';
import { buildMetrics } from './build-metrics.ts';
import { chaosControllerMetrics } from './chaos-metrics.ts';
import { httpMetrics } from './http-metrics.ts';
import { paymentsMetrics } from './payments-metrics.ts';
import { goldenSignalRules, sloRules } from './recording-rules.ts';
import { trainingMetrics } from './training-metrics.ts';
import { workerMetrics } from './worker-metrics.ts';

export { shopFlags, type ShopFlagName, type FlagDefinition } from './shop-flags.ts';

export * from './metric-definition.ts';
export { apiMetrics, buildMetrics, chaosControllerMetrics, goldenSignalRules, httpMetrics, paymentsMetrics, sloRules, trainingMetrics, workerMetrics };

/**
 * Every metric name the lab defines, grouped by who produces it. A name used by a dashboard, a
 * rule or a test must be here or on the test's allow-list of other exporters' names.
 */
export const metricRegistry = {
  /** The kit's RED middleware, in every HTTP process. */
  http: httpMetrics,
  /** The kit's build-info gauge, in every shop service. */
  build: buildMetrics,
  api: apiMetrics,
  payments: paymentsMetrics,
  worker: workerMetrics,
  chaosController: chaosControllerMetrics,
  training: trainingMetrics,
  /** Prometheus' recording rules. */
  goldenSignalRules,
  sloRules,
} as const satisfies Record<string, Record<string, MetricDefinition>>;

export type MetricOwner = keyof typeof metricRegistry;

/** Every definition with its owner, in registry order. */
export function allMetricDefinitions(): Array<{ owner: MetricOwner; key: string; definition: MetricDefinition }> {
  return Object.entries(metricRegistry).flatMap(([owner, group]) =>
    Object.entries(group).map(([key, definition]) => ({ owner: owner as MetricOwner, key, definition: definition as MetricDefinition })),
  );
}
