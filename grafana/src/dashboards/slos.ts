import { sloRules } from '@firedrill/conventions';
import { stat, table, timeseries, type DashboardSpec } from '../panels.ts';

const sel = 'sloth_service=~"$sloth_service"';

/**
 * SLOs and error budgets from the Sloth-style recording rules in prometheus/rules (one series per
 * sloth_service and sloth_slo): how much budget is left and how fast it burns.
 */
export const slos: DashboardSpec = {
  uid: 'firedrill-slos',
  title: 'SLOs and error budgets',
  description:
    'Checkout availability, checkout latency and payment success SLOs: current error ratio, burn rate, remaining error budget and firing SLO alerts.',
  tags: ['firedrill', 'shop', 'slo'],
  links: [{ title: 'Shop dashboards', tags: ['shop'] }],
  variables: [{ name: 'sloth_service', label: 'Service', metric: sloRules.objective.name, labelName: 'sloth_service' }],
  rows: [
    {
      row: 'Budget',
      panels: [
        stat({
          title: 'Error budget remaining',
          description: "Share of the period's error budget still unspent (below 0: the SLO is broken for the period).",
          queries: [{ expr: `${sloRules.periodErrorBudgetRemaining.name}{${sel}}`, legend: '{{sloth_service}} / {{sloth_slo}}' }],
          unit: 'percentunit',
          baseColor: 'red',
          thresholds: [
            [0.25, 'orange'],
            [0.5, 'green'],
          ],
          width: 12,
        }),
        stat({
          title: 'Current burn rate',
          description:
            'How fast the budget burns now (1 = exactly the budget over the period; the page alert fires at 14.4 on both the short and long window).',
          queries: [{ expr: `${sloRules.currentBurnRate.name}{${sel}}`, legend: '{{sloth_service}} / {{sloth_slo}}' }],
          unit: 'short',
          thresholds: [
            [1, 'orange'],
            [6, 'red'],
          ],
          width: 12,
        }),
      ],
    },
    {
      row: 'Error ratio and burn',
      panels: [
        timeseries({
          title: 'SLI error ratio (5m) against objective',
          description: 'Share of bad events over 5 minutes; the dashed budget line is 1 − objective.',
          queries: [
            { expr: `${sloRules.sliError5m.name}{${sel}}`, legend: '{{sloth_service}} / {{sloth_slo}}' },
            { expr: `${sloRules.errorBudget.name}{${sel}}`, legend: 'budget {{sloth_service}} / {{sloth_slo}}' },
          ],
          unit: 'percentunit',
          min: 0,
        }),
        timeseries({
          title: 'Burn rate',
          description: 'Current burn rate per SLO; sustained values above 1 spend the budget before the period ends.',
          queries: [{ expr: `${sloRules.currentBurnRate.name}{${sel}}`, legend: '{{sloth_service}} / {{sloth_slo}}' }],
          unit: 'short',
          min: 0,
        }),
        timeseries({
          title: 'Error budget remaining over time',
          description: 'Remaining budget of the period per SLO.',
          queries: [{ expr: `${sloRules.periodErrorBudgetRemaining.name}{${sel}}`, legend: '{{sloth_service}} / {{sloth_slo}}' }],
          unit: 'percentunit',
          width: 24,
        }),
      ],
    },
    {
      row: 'Alerts',
      panels: [
        table({
          title: 'Objectives',
          description: "Each SLO's objective (target ratio of good events).",
          queries: [{ expr: `${sloRules.objective.name}{${sel}}` }],
          unit: 'percentunit',
        }),
        timeseries({
          title: 'Firing SLO alerts',
          description: 'Multi-window, multi-burn-rate alerts firing by severity (page: fast burn; ticket: slow burn).',
          queries: [{ expr: 'count by (sloth_severity) (ALERTS{alertstate="firing", sloth_severity!=""}) or vector(0)', legend: '{{sloth_severity}}' }],
          unit: 'short',
          min: 0,
        }),
      ],
    },
  ],
};
