import { stringify } from 'yaml';
import { burnAlerts, periodWindow, sliWindows, type BurnCondition, type WindowProfile } from './burn-windows.ts';
import type { SloServiceSpec, SloSpec } from './slo-spec.ts';

/**
 * Prometheus rules for SLOs, named the way Sloth names them (recordings `slo:*`, `sloth_slo_info`,
 * labels `sloth_id`/`sloth_service`/`sloth_slo`/`sloth_window`, alerts labelled `sloth_severity`),
 * for one window profile. Every rule also carries `profile`, and every selector matches it, so
 * both profiles can be loaded into one Prometheus without their series mixing.
 */

interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}
interface AlertingRule {
  alert: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface RuleGroup {
  name: string;
  rules: (RecordingRule | AlertingRule)[];
}

export function renderSloRules(specs: readonly SloServiceSpec[], profile: WindowProfile, header: string): string {
  const groups = specs.flatMap((spec) => spec.slos.flatMap((slo) => sloGroups(spec, slo, profile)));
  const body = stringify({ groups }, { lineWidth: 0, sortMapEntries: false });
  return `${header.trimEnd()}\n\n${body}`;
}

function sloGroups(spec: SloServiceSpec, slo: SloSpec, profile: WindowProfile): RuleGroup[] {
  const id = `${spec.service}-${slo.name}`;
  const identity = { sloth_id: id, sloth_service: spec.service, sloth_slo: slo.name, profile: profile.name };
  const selector = `{${Object.entries(identity)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;
  const baseLabels = sorted({ ...spec.labels, ...slo.labels, ...identity });
  const objective = slo.objective / 100;
  const budget = 1 - objective;

  const sliRules: RecordingRule[] = sliWindows.map((window) => {
    const range = profile.range(window);
    const errors = slo.sli.events.error_query.replaceAll('{{.window}}', range);
    const total = slo.sli.events.total_query.replaceAll('{{.window}}', range);
    return {
      record: `slo:sli_error:ratio_rate${window}`,
      // Unlike Sloth, a window with no traffic records nothing rather than NaN (0/0): one quiet
      // window would otherwise turn the period's mean, and the budget left, into NaN for a period.
      expr: `(${errors})\n/\n((${total}) > 0)\n`,
      labels: sorted({ ...baseLabels, sloth_window: window }),
    };
  });
  // Like Sloth: the period's ratio is the mean of the 5m ratios, so it needs no 30-day raw range.
  const periodRange = profile.range(periodWindow);
  sliRules.push({
    record: `slo:sli_error:ratio_rate${periodWindow}`,
    expr:
      `sum_over_time(slo:sli_error:ratio_rate5m${selector}[${periodRange}])\n` +
      `/ ignoring (sloth_window)\n` +
      `count_over_time(slo:sli_error:ratio_rate5m${selector}[${periodRange}])\n`,
    labels: sorted({ ...baseLabels, sloth_window: periodWindow }),
  });

  const perBudget = `/ on(sloth_id, sloth_slo, sloth_service, profile) group_left\nslo:error_budget:ratio${selector}\n`;
  const metaRules: RecordingRule[] = [
    { record: 'slo:objective:ratio', expr: `vector(${objective})`, labels: baseLabels },
    { record: 'slo:error_budget:ratio', expr: `vector(1-${objective})`, labels: baseLabels },
    { record: 'slo:time_period:days', expr: `vector(${profile.periodDays})`, labels: baseLabels },
    { record: 'slo:current_burn_rate:ratio', expr: `slo:sli_error:ratio_rate5m${selector}\n${perBudget}`, labels: baseLabels },
    { record: 'slo:period_burn_rate:ratio', expr: `slo:sli_error:ratio_rate${periodWindow}${selector}\n${perBudget}`, labels: baseLabels },
    { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio${selector}`, labels: baseLabels },
    {
      record: 'sloth_slo_info',
      expr: 'vector(1)',
      labels: sorted({
        ...baseLabels,
        sloth_mode: 'cli-gen-prom',
        sloth_spec: 'prometheus/v1',
        sloth_version: 'firedrill',
        sloth_objective: String(slo.objective),
      }),
    },
  ];

  const alerting = slo.alerting;
  const alertRule = (severity: 'page' | 'ticket'): AlertingRule => {
    const extra = severity === 'page' ? alerting.page_alert : alerting.ticket_alert;
    return {
      alert: alerting.name,
      expr: burnExpression(burnAlerts[severity], selector, budget),
      labels: sorted({ ...alerting.labels, ...extra.labels, sloth_severity: severity }),
      annotations: {
        title: `(${severity}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
        ...alerting.annotations,
        ...extra.annotations,
      },
    };
  };

  return [
    { name: `sloth-slo-sli-recordings-${id}-${profile.name}`, rules: sliRules },
    { name: `sloth-slo-meta-recordings-${id}-${profile.name}`, rules: metaRules },
    { name: `sloth-slo-alerts-${id}-${profile.name}`, rules: [alertRule('page'), alertRule('ticket')] },
  ];
}

/**
 * (short and long above factor×budget) or (the other pair), as Sloth (since v0.11) writes it:
 * `max … without (sloth_window)` gives the alert one label set whichever pair holds, so when the
 * fast pair stops and the slow pair still burns (just after a fault is mitigated) the page stays
 * the same alert instead of resolving and firing anew as a different one.
 */
function burnExpression(conditions: readonly BurnCondition[], selector: string, budget: number): string {
  const above = (window: string, factor: number) => `max(slo:sli_error:ratio_rate${window}${selector} > (${factor} * ${budget})) without (sloth_window)`;
  const pairs = conditions.map((c) => `(\n    ${above(c.short, c.factor)}\n    and\n    ${above(c.long, c.factor)}\n)`);
  return `${pairs.join('\nor\n')}\n`;
}

function sorted(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}
