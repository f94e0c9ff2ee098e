import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { allMetricDefinitions, seriesNames } from '@firedrill/conventions';
import { parsePromql } from '../grafana/dashboard-queries.ts';
import { externalMetricNames } from './external-metric-names.ts';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Every series name a query may select: the registry's (histograms as _bucket/_sum/_count) and the allow-list's. */
export function knownMetricNames(): Set<string> {
  return new Set([...allMetricDefinitions().flatMap(({ definition }) => seriesNames(definition)), ...Object.values(externalMetricNames).flat()]);
}

/** The metric names in a PromQL expression that are neither in the registry nor on the allow-list. */
export function unknownMetricNames(expr: string, known = knownMetricNames()): string[] {
  return parsePromql(expr).metricNames.filter((name) => !known.has(name));
}

export interface RuleFileRule {
  /** Repository-relative path of the rule file. */
  file: string;
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
}

/** Every rule of every rule file under prometheus/rules, production profile included. */
export function ruleFileRules(): RuleFileRule[] {
  const dir = path.join(repoRoot, 'prometheus', 'rules');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((f) => {
      const file = path.posix.join('prometheus', 'rules', f.split(path.sep).join('/'));
      const doc = parseYaml(readFileSync(path.join(dir, f), 'utf8')) as { groups?: Array<{ rules?: Array<Omit<RuleFileRule, 'file'>> }> } | null;
      return (doc?.groups ?? []).flatMap((g) => (g.rules ?? []).map((rule) => ({ ...rule, expr: String(rule.expr), file })));
    });
}
