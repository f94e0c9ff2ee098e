import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';

export const grafanaDir = path.resolve(import.meta.dirname, '..', '..', 'grafana');
export const dashboardsDir = path.join(grafanaDir, 'dashboards');

type Json = Record<string, any>;

export interface DashboardFile {
  file: string;
  json: Json;
}

/** Every dashboard JSON under grafana/dashboards, as Grafana's file providers would find them. */
export function loadDashboards(): DashboardFile[] {
  return readdirSync(dashboardsDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(path.join(dashboardsDir, file), 'utf8')) as Json }));
}

export interface DashboardQuery {
  /** "<dashboard uid> / <panel or annotation title> / <refId>", for failure messages. */
  where: string;
  kind: 'panel' | 'annotation';
  panelType?: string;
  /** The expression as stored (Grafana variables and all). */
  expr: string;
  datasource: Json | undefined;
}

/** Panel targets and annotation queries of every dashboard. */
export function dashboardQueries(dashboards = loadDashboards()): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const { json } of dashboards) {
    for (const panel of json.panels as Json[]) {
      for (const target of (panel.targets ?? []) as Json[]) {
        out.push({
          where: `${json.uid} / ${panel.title} / ${target.refId}`,
          kind: 'panel',
          panelType: panel.type,
          expr: target.expr,
          datasource: target.datasource ?? panel.datasource,
        });
      }
    }
    for (const a of json.annotations.list as Json[]) {
      out.push({ where: `${json.uid} / annotation ${a.name}`, kind: 'annotation', expr: a.expr, datasource: a.datasource });
    }
  }
  return out;
}

/** One resolution of Grafana's variables, shared with the console's charts. */
export { resolveGrafanaVariables } from '@firedrill/dashboards/resolve-variables';

export interface ParsedPromql {
  errors: string[];
  /** Names of the series the expression selects (vector selectors' identifiers). */
  metricNames: string[];
  /** The text of each vector selector (`name{matchers}`), ranges and functions around it left out. */
  selectors: string[];
}

/** Parses with Prometheus' own Lezer grammar (the one its UI uses); error nodes become messages. */
export function parsePromql(expr: string): ParsedPromql {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const metricNames = new Set<string>();
  const selectors: string[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: "${expr.slice(Math.max(0, node.from - 10), node.to + 10)}"`);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') metricNames.add(expr.slice(node.from, node.to));
      if (node.name === 'VectorSelector') selectors.push(expr.slice(node.from, node.to));
    },
  });
  return { errors, metricNames: [...metricNames], selectors };
}

/** Datasource uids and types the provisioning files declare. */
export function provisionedDatasources(): Array<{ uid: string; type: string; jsonData?: Json }> {
  const dir = path.join(grafanaDir, 'provisioning', 'datasources');
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap((f) => (parseYaml(readFileSync(path.join(dir, f), 'utf8')) as { datasources: Array<{ uid: string; type: string; jsonData?: Json }> }).datasources);
}

/**
 * Names a Prometheus text exposition makes queryable: every sample's name, plus every `# TYPE`
 * line (a labelled counter nobody has incremented yet has no sample, but it is exported), with
 * the _bucket/_sum/_count series of histograms and summaries.
 */
export function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      const [, name, kind] = type;
      names.add(name!);
      if (kind === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
      if (kind === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (sample) names.add(sample[1]!);
  }
  return names;
}
