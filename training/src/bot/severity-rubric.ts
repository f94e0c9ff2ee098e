import { thresholds, type Diagnosis } from './diagnose.ts';
import type { Observations } from './observations.ts';

/**
 * The bot's severity rubric, in one place: the playbook's definitions (docs/playbook/escalation.md,
 * "Severity") applied to what the bot observed, never to the scenario's answer key.
 *
 *   P0  the shop is down or losing orders for everyone     checkout fails for all customers
 *   P1  a core journey broken or badly degraded for many   most charges fail; the api crash-loops
 *   P2  a core journey degraded, or broken for some        checkout slow; some charges fail; orders wait
 *   P3  minor or internal impact                           a page with no customer symptom seen
 *
 * Rules are tried from the worst down and the first that matches wins, so "when unsure, take the
 * higher one" holds by construction. Each rule also says the impact in customers' words, which
 * the declaration's title and every status update reuse.
 */
export type Severity = 'P0' | 'P1' | 'P2' | 'P3';

export interface Assessment {
  severity: Severity;
  /** The incident's title: what customers feel. */
  title: string;
  /** Who is affected and how much, for the updates' "Impact:" line. */
  impact: string;
}

interface RubricRule {
  severity: Severity;
  /** The assessment when the rule matches, else undefined. */
  matches: (obs: Observations, diagnosis: Diagnosis) => Omit<Assessment, 'severity'> | undefined;
}

const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;
const ms = (seconds: number) => `${Math.round(seconds * 1000)} ms`;

export const severityRubric: readonly RubricRule[] = [
  {
    severity: 'P0',
    matches: (obs) => {
      const apiErrors = obs.metrics.errorRatio.api ?? 0;
      if (obs.metrics.apiDependencyUp.postgres === false)
        return { title: 'Checkout failing: the shop cannot reach its database', impact: 'every checkout fails while the database is unreachable' };
      if (apiErrors >= 0.9) return { title: 'Checkout failing for all customers', impact: `${percent(apiErrors)} of requests to the shop fail` };
      return undefined;
    },
  },
  {
    severity: 'P1',
    matches: (obs) => {
      const charges = obs.metrics.paymentFailureRatio ?? 0;
      const apiErrors = obs.metrics.errorRatio.api ?? 0;
      if (charges >= 0.5) return { title: 'Most card payments failing', impact: `${percent(charges)} of charges fail; those checkouts do not complete` };
      if (apiErrors >= 0.25) return { title: 'Checkout failing for many customers', impact: `${percent(apiErrors)} of requests to the shop fail` };
      if ((obs.metrics.apiStarts10m ?? 0) >= 2)
        return { title: 'The shop restarts again and again', impact: 'requests in flight fail each time the api restarts' };
      return undefined;
    },
  },
  {
    severity: 'P2',
    matches: (obs, diagnosis) => {
      const m = obs.metrics;
      const charges = m.paymentFailureRatio ?? 0;
      const slowest = Math.max(m.p95Seconds.api ?? 0, m.p95Seconds.payments ?? 0);
      if (charges > thresholds.paymentFailureRatio)
        return { title: 'Some card payments failing', impact: `${percent(charges)} of charges fail; those checkouts do not complete` };
      if (slowest > thresholds.p95Seconds)
        return { title: 'Checkout slow', impact: `checkout works but is slow: p95 ${ms(slowest)} against a ${ms(thresholds.p95Seconds)} target` };
      if (diagnosis.symptoms.length > 0)
        return { title: 'Paid orders delayed', impact: `orders are taken and paid but their fulfilment waits (${diagnosis.symptoms[0]})` };
      return undefined;
    },
  },
];

/** The severity, title and impact for what is observed now; P3 when no rule matches. */
export function assessIncident(obs: Observations, diagnosis: Diagnosis): Assessment {
  for (const rule of severityRubric) {
    const found = rule.matches(obs, diagnosis);
    if (found) return { severity: rule.severity, ...found };
  }
  const alert = obs.alerts[0]?.name;
  return { severity: 'P3', title: alert ? `Paged: ${alert}` : 'Paged', impact: 'no customer impact seen yet; investigating' };
}
