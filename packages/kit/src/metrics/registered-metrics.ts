import client from 'prom-client';
import type { CounterDefinition, GaugeDefinition, HistogramDefinition, MetricDefinition, MetricType } from '@firedrill/conventions/generic';

/**
 * Creates prom-client metrics from the lab's metric registry (@firedrill/conventions), so a name,
 * its help and its label names are written once. The definition's type picks the function: a
 * counter definition cannot be registered as a gauge.
 */

type Extra<C> = Omit<C, 'name' | 'help' | 'labelNames' | 'registers'>;

function base<L extends string>(definition: MetricDefinition<MetricType, L>, registry: client.Registry) {
  // A copy: prom-client keeps the array, and the registry's is frozen.
  return { name: definition.name, help: definition.help, labelNames: [...definition.labelNames], registers: [registry] };
}

export function registerCounter<L extends string>(
  registry: client.Registry,
  definition: CounterDefinition<L>,
  extra: Extra<client.CounterConfiguration<L>> = {},
): client.Counter<L> {
  return new client.Counter<L>({ ...extra, ...base(definition, registry) });
}

export function registerGauge<L extends string>(
  registry: client.Registry,
  definition: GaugeDefinition<L>,
  extra: Extra<client.GaugeConfiguration<L>> = {},
): client.Gauge<L> {
  return new client.Gauge<L>({ ...extra, ...base(definition, registry) });
}

export function registerHistogram<L extends string>(
  registry: client.Registry,
  definition: HistogramDefinition<L>,
  extra: Extra<client.HistogramConfiguration<L>> = {},
): client.Histogram<L> {
  return new client.Histogram<L>({ ...extra, ...base(definition, registry) });
}
