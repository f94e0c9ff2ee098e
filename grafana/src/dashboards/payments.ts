import { apiMetrics, httpMetrics, paymentsMetrics } from '@firedrill/conventions';
import { stat, timeseries, type DashboardSpec } from '../panels.ts';
import { buckets, quantiles, rate, ratio, sumRate } from '../promql.ts';

const charges = paymentsMetrics.processed;

/** The card gateway seen from both sides: the payments service's outcomes and the api's calls. */
export const payments: DashboardSpec = {
  uid: 'firedrill-payments',
  title: 'Payments',
  description: "Charges by status and reason, card-gateway latency, decline and failure ratios, and the api's view of the payments service.",
  tags: ['firedrill', 'shop', 'payments'],
  links: [{ title: 'Shop dashboards', tags: ['shop'] }],
  rows: [
    {
      row: 'Outcomes',
      panels: [
        stat({
          title: 'Charges / s',
          description: 'Charges the card network settled (idempotent replays not counted).',
          queries: [{ expr: `sum(${rate(charges)})` }],
          unit: 'ops',
        }),
        stat({
          title: 'Approved',
          description: 'Share of charges approved.',
          queries: [{ expr: ratio(charges, [], 'status="approved"') }],
          unit: 'percentunit',
          thresholds: [],
        }),
        stat({
          title: 'Declined',
          description: "Share of charges the card network declined (card_declined, insufficient_funds, expired_card): the customer's problem, not ours.",
          queries: [{ expr: ratio(charges, [], 'status="declined"') }],
          unit: 'percentunit',
          thresholds: [
            [0.2, 'orange'],
            [0.5, 'red'],
          ],
        }),
        stat({
          title: 'Failed',
          description: 'Share of charges that failed at the gateway (error, timeout, unreachable): our problem.',
          queries: [{ expr: ratio(charges, [], 'status="failed"') }],
          unit: 'percentunit',
          thresholds: [
            [0.01, 'orange'],
            [0.05, 'red'],
          ],
        }),
        timeseries({
          title: 'Charges by status',
          description: 'Settled charges per second by status.',
          queries: [{ expr: sumRate(charges, ['status']), legend: '{{status}}' }],
          unit: 'ops',
          min: 0,
          stacked: true,
        }),
        timeseries({
          title: 'Declines and failures by reason',
          description: 'Why charges were not approved.',
          queries: [{ expr: sumRate(charges, ['status', 'reason'], 'status!="approved"'), legend: '{{status}}: {{reason}}' }],
          unit: 'ops',
          min: 0,
        }),
        timeseries({
          title: 'Decline and failure ratio',
          description: 'Declines follow the customers; failures follow the gateway. A rising failure ratio is an incident.',
          queries: [
            { expr: ratio(charges, [], 'status="declined"'), legend: 'declined' },
            { expr: ratio(charges, [], 'status="failed"'), legend: 'failed' },
          ],
          unit: 'percentunit',
          min: 0,
          max: 1,
          width: 24,
        }),
      ],
    },
    {
      row: 'Card gateway',
      panels: [
        timeseries({
          title: 'Gateway latency',
          description: 'Time the card network took to answer (up to the timeout when it did not).',
          queries: quantiles(paymentsMetrics.gatewayDuration, []),
          unit: 's',
          min: 0,
        }),
        timeseries({
          title: 'Gateway p95 by status',
          description: 'Slow failures are timeouts; slow approvals are a slow network.',
          queries: [{ expr: `histogram_quantile(0.95, ${sumRate(buckets(paymentsMetrics.gatewayDuration), ['status', 'le'])})`, legend: '{{status}}' }],
          unit: 's',
          min: 0,
        }),
      ],
    },
    {
      row: 'The api calling payments',
      panels: [
        timeseries({
          title: 'Payment calls by outcome',
          description: 'Calls from the api to the payments service, retries counted separately (timeout and network_error mean payments did not answer).',
          queries: [{ expr: sumRate(apiMetrics.paymentAttempts, ['outcome']), legend: '{{outcome}}' }],
          unit: 'ops',
          min: 0,
        }),
        timeseries({
          title: 'Payment call latency',
          description: 'Duration of each call from the api to payments, as the api sees it (includes the network).',
          queries: quantiles(apiMetrics.paymentRequestDuration, []),
          unit: 's',
          min: 0,
        }),
        timeseries({
          title: 'Orders by resulting status',
          description: 'Order placements by the status they were left in; pending means payments could not be reached.',
          queries: [{ expr: sumRate(apiMetrics.orders, ['status']), legend: '{{status}}' }],
          unit: 'ops',
          min: 0,
        }),
        timeseries({
          title: 'Payments service HTTP',
          description: 'Requests to the payments service by route and status (502 = gateway_error, 409 = request in progress).',
          queries: [{ expr: sumRate(httpMetrics.requests, ['route', 'status_code'], 'service="payments"'), legend: '{{route}} {{status_code}}' }],
          unit: 'reqps',
          min: 0,
        }),
      ],
    },
  ],
};
