/**
 * The registry (@firedrill/conventions) is what the code really registers: each owner's metrics,
 * created in-process on an empty prom-client registry, are exactly its entries, with the same
 * type, help and label names; the recording rules are exactly those the rule files record. And
 * the kit, which every process shares, reaches only the registry's generic part.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricRegistry, type MetricDefinition, type MetricOwner } from '@firedrill/conventions';
import * as generic from '@firedrill/conventions/generic';
import { createRegistry, httpMetricsMiddleware, prom, registerBuildInfo, type Registry } from '@firedrill/kit';
import { createApiMetrics, exportDependencyHealth } from '@firedrill/api';
import { createControllerMetrics } from '@firedrill/chaos';
import { createPaymentMetrics } from '@firedrill/payments';
import { createDeployMetrics } from '@firedrill/training';
import { createWorkerMetrics } from '@firedrill/worker';
import { externalMetricNames } from './external-metric-names.ts';
import { repoRoot, ruleFileRules } from './known-metric-names.ts';

/** The code that owns each group of the registry, registering its metrics on the given registry. */
const owners: Partial<Record<MetricOwner, (registry: Registry) => void>> = {
  http: (registry) => httpMetricsMiddleware(registry),
  build: (registry) => registerBuildInfo(registry, { service: 'api', version: '2.3.0' }),
  api: (registry) => {
    createApiMetrics(registry);
    exportDependencyHealth(registry, {}, 1_000);
  },
  payments: (registry) => createPaymentMetrics(registry),
  worker: (registry) => createWorkerMetrics(registry),
  chaosController: (registry) => createControllerMetrics(registry),
  training: (registry) => createDeployMetrics(registry),
};

interface Registered {
  name: string;
  type: string;
  help: string;
  labelNames: string[];
}

async function registeredBy(register: (registry: Registry) => void): Promise<Registered[]> {
  // A bare registry: no default metrics, no default labels, only what the owner adds.
  const registry = new prom.Registry();
  register(registry);
  return (await registry.getMetricsAsJSON()).map(({ name, type, help }) => ({
    name,
    type: String(type),
    help,
    // prom-client keeps the label names on the metric; its typings do not declare them.
    labelNames: [...((registry.getSingleMetric(name) as unknown as { labelNames: string[] }).labelNames ?? [])],
  }));
}

const asRegistered = (d: MetricDefinition): Registered => ({ name: d.name, type: d.type, help: d.help, labelNames: [...d.labelNames] });
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

describe('the registry against the code that owns it', () => {
  for (const [owner, register] of Object.entries(owners)) {
    it(`when ${owner}'s metrics are created in-process, then they are exactly its registry entries (name, type, help, labels)`, async () => {
      const expected = Object.values(metricRegistry[owner as MetricOwner] as Record<string, MetricDefinition>)
        .map(asRegistered)
        .sort(byName);
      expect(expected.length).toBeGreaterThan(0);
      expect((await registeredBy(register!)).sort(byName)).toEqual(expected);
    });
  }

  it('when the registry is grouped, then every group that code registers has an owner here, and every name is unique', () => {
    const recorded = ['goldenSignalRules', 'sloRules'];
    expect(
      Object.keys(metricRegistry)
        .filter((g) => !recorded.includes(g))
        .sort(),
    ).toEqual(Object.keys(owners).sort());
    const names = Object.values(metricRegistry).flatMap((g) => Object.values(g as Record<string, MetricDefinition>).map((d) => d.name));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it("when a process starts, then the registry does not define a name prom-client's defaults already export", async () => {
    const defaults = (await createRegistry('test').getMetricsAsJSON()).map((m) => m.name);
    expect(defaults).toEqual(expect.arrayContaining([...externalMetricNames.nodeDefaults].map((n) => n.replace(/_(sum|count|bucket)$/, ''))));
    const defined = Object.values(metricRegistry).flatMap((g) => Object.values(g as Record<string, MetricDefinition>).map((d) => d.name));
    expect(defined.filter((n) => defaults.includes(n))).toEqual([]);
  });
});

describe('the registry against the rule files', () => {
  const rules = ruleFileRules();
  const recordings = rules.filter((r) => r.record);
  const inFile = (pattern: RegExp) => new Set(recordings.filter((r) => pattern.test(r.file)).map((r) => r.record!));
  const names = (group: Record<string, MetricDefinition>) => new Set(Object.values(group).map((d) => d.name));

  it("when golden-signals.yml records series, then they are exactly the registry's golden-signal rules", () => {
    expect([...inFile(/golden-signals\.yml$/)].sort()).toEqual([...names(metricRegistry.goldenSignalRules)].sort());
  });

  it("when the generated SLO rule files record series, then each profile records exactly the registry's SLO rules", () => {
    for (const file of ['prometheus/rules/slos.yml', 'prometheus/rules/production/slos.yml']) {
      expect([...inFile(new RegExp(`^${file}$`))].sort(), file).toEqual([...names(metricRegistry.sloRules)].sort());
    }
  });

  it('when any rule file records a series, then the registry holds it with every label the rule sets', () => {
    const definitions = new Map(Object.values({ ...metricRegistry.goldenSignalRules, ...metricRegistry.sloRules }).map((d) => [d.name, d as MetricDefinition]));
    const problems = recordings.flatMap((r) => {
      const d = definitions.get(r.record!);
      if (!d) return [`${r.file}: ${r.record} is not in the registry`];
      return Object.keys(r.labels ?? {})
        .filter((l) => !d.labelNames.includes(l))
        .map((l) => `${r.file}: ${r.record} sets label ${l}, which the registry does not declare`);
    });
    expect(recordings.length).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });
});

describe('the kit and the registry', () => {
  it('when the kit imports the registry, then only its generic part (no shop names)', () => {
    const dir = path.join(repoRoot, 'packages', 'kit', 'src');
    const imports = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(path.join(dir, f), 'utf8').matchAll(/from '(@firedrill\/conventions[^']*)'/g)].map((m) => `${f}: ${m[1]}`));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((i) => !i.endsWith(': @firedrill/conventions/generic'))).toEqual([]);
  });

  it('when the generic part is loaded, then every metric it offers is a generic HTTP or build-info metric', () => {
    const offered = Object.values(generic).flatMap((value) =>
      value && typeof value === 'object'
        ? Object.values(value as Record<string, unknown>).filter((d): d is MetricDefinition => typeof d === 'object' && d !== null && 'name' in d)
        : [],
    );
    expect(offered.map((d) => d.name).sort()).toEqual(
      Object.values({ ...metricRegistry.http, ...metricRegistry.build })
        .map((d) => d.name)
        .sort(),
    );
  });
});
