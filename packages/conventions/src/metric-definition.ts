/**
 * One metric the lab defines, written once: the service that exports it creates it from this,
 * and dashboards, rules and tests refer to it. Label names are typed so a service cannot set a
 * label the definition does not declare.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition<T extends MetricType = MetricType, L extends string = string> {
  readonly name: string;
  readonly type: T;
  readonly help: string;
  readonly labelNames: readonly L[];
}

export type CounterDefinition<L extends string = string> = MetricDefinition<'counter', L>;
export type GaugeDefinition<L extends string = string> = MetricDefinition<'gauge', L>;
export type HistogramDefinition<L extends string = string> = MetricDefinition<'histogram', L>;

export function counter<const L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): CounterDefinition<L> {
  return Object.freeze({ name, type: 'counter', help, labelNames: Object.freeze([...labelNames]) });
}

export function gauge<const L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): GaugeDefinition<L> {
  return Object.freeze({ name, type: 'gauge', help, labelNames: Object.freeze([...labelNames]) });
}

export function histogram<const L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): HistogramDefinition<L> {
  return Object.freeze({ name, type: 'histogram', help, labelNames: Object.freeze([...labelNames]) });
}

/**
 * The series names a definition makes queryable. A classic histogram is only ever queried
 * through its _bucket, _sum and _count series; the bare name selects nothing.
 */
export function seriesNames(definition: MetricDefinition): string[] {
  const { name, type } = definition;
  return type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
}
