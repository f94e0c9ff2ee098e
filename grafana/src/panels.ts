import { scopedToTeam, teamVariable } from './team-scope.ts';

/**
 * A small dashboard-as-code kit: just enough of Grafana's dashboard model (schemaVersion 41,
 * Grafana 12) to write the lab's dashboards as readable TypeScript. `generate.ts` turns them into
 * the JSON files Grafana's file provisioning loads; test/grafana checks those files are current.
 */

/** Every panel, variable and annotation queries the provisioned Prometheus by its fixed uid. */
export const prometheus = { type: 'prometheus', uid: 'prometheus' } as const;

export interface Query {
  expr: string;
  /** Legend, e.g. `{{service}} p95`. */
  legend?: string;
}

/** Grafana unit ids (the "Standard options → Unit" picker). */
export type Unit = 'reqps' | 'ops' | 'percentunit' | 's' | 'bytes' | 'short' | 'none' | 'dateTimeFromNow' | 'Bps';

export interface PanelOptions {
  title: string;
  description: string;
  queries: Query[];
  unit: Unit;
  /** Width in grid columns (24 = full width); default 12. */
  width?: number;
  height?: number;
  min?: number;
  max?: number;
  /** Thresholds as [value, colour] steps above the base colour. */
  thresholds?: Array<[number, string]>;
  /** Colour below the first threshold; default green. */
  baseColor?: string;
  /** Stat/gauge only: text for values, e.g. {1: 'UP', 0: 'DOWN'}. */
  valueText?: Record<number, { text: string; color: string }>;
  /** Time series only: stack the series (for parts of a whole, like jobs by state). */
  stacked?: boolean;
}

export type PanelKind = 'timeseries' | 'stat' | 'gauge' | 'table' | 'state-timeline';

export interface Panel extends PanelOptions {
  kind: PanelKind;
}

export const timeseries = (o: PanelOptions): Panel => ({ kind: 'timeseries', ...o });
export const stat = (o: PanelOptions): Panel => ({ kind: 'stat', width: 6, height: 5, ...o });
export const gauge = (o: PanelOptions): Panel => ({ kind: 'gauge', width: 6, height: 5, ...o });
export const stateTimeline = (o: PanelOptions): Panel => ({ kind: 'state-timeline', ...o });
export const table = (o: PanelOptions): Panel => ({ kind: 'table', ...o });

export interface Row {
  row: string;
  panels: Panel[];
}

export interface Variable {
  name: string;
  label: string;
  description?: string;
  /** A label_values(metric, label) query. */
  metric: string;
  labelName: string;
  /** Several values at once (default true); "All" is always offered. */
  multi?: boolean;
}

export interface Annotation {
  name: string;
  expr: string;
  title: string;
  text: string;
  tagKeys: string[];
  color: string;
  /** The series' value is the event's time in ms (a timestamp gauge), not "while the query is non-empty". */
  useValueForTime?: boolean;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  rows: Row[];
  variables?: Variable[];
  annotations?: Annotation[];
  links?: Array<{ title: string; tags: string[] }>;
  /** Default time range, e.g. `now-30m`. */
  from?: string;
}

type Json = Record<string, unknown>;

function fieldConfig(p: Panel): Json {
  const defaults: Json = {
    unit: p.unit,
    ...(p.min !== undefined && { min: p.min }),
    ...(p.max !== undefined && { max: p.max }),
    color: { mode: p.kind === 'timeseries' ? 'palette-classic' : 'thresholds' },
    thresholds: {
      mode: 'absolute',
      steps: [{ color: p.baseColor ?? 'green', value: null }, ...(p.thresholds ?? []).map(([value, color]) => ({ color, value }))],
    },
    mappings: p.valueText ? [{ type: 'value', options: Object.fromEntries(Object.entries(p.valueText).map(([v, m], index) => [v, { ...m, index }])) }] : [],
  };
  if (p.kind === 'timeseries') {
    defaults.custom = {
      drawStyle: 'line',
      lineWidth: 1,
      fillOpacity: p.stacked ? 40 : 10,
      showPoints: 'never',
      spanNulls: false,
      stacking: { mode: p.stacked ? 'normal' : 'none', group: 'A' },
    };
  }
  if (p.kind === 'state-timeline') defaults.custom = { fillOpacity: 80, lineWidth: 0 };
  return { defaults, overrides: [] };
}

function options(p: Panel): Json {
  switch (p.kind) {
    case 'timeseries':
      return { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } };
    case 'stat':
      return {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: 'area',
        justifyMode: 'auto',
        textMode: 'auto',
        orientation: 'auto',
      };
    case 'gauge':
      return {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        showThresholdLabels: false,
        showThresholdMarkers: true,
        orientation: 'auto',
      };
    case 'state-timeline':
      return {
        showValue: 'never',
        mergeValues: true,
        alignValue: 'left',
        rowHeight: 0.9,
        legend: { displayMode: 'list', placement: 'bottom', showLegend: false },
        tooltip: { mode: 'single', sort: 'none' },
      };
    case 'table':
      return { showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], fields: '' } };
  }
}

function targets(p: Panel): Json[] {
  const instant = p.kind === 'table';
  return p.queries.map((q, i) => ({
    refId: String.fromCharCode(65 + i),
    datasource: prometheus,
    expr: scopedToTeam(q.expr),
    legendFormat: q.legend ?? '__auto',
    range: !instant,
    instant,
    ...(instant && { format: 'table' }),
    editorMode: 'code',
  }));
}

function templateVariable(v: Variable): Json {
  // Another variable's values are the chosen team's (Grafana refreshes it when the team changes).
  const source = v === teamVariable ? v.metric : scopedToTeam(v.metric);
  const query = `label_values(${source}, ${v.labelName})`;
  const multi = v.multi ?? true;
  return {
    name: v.name,
    label: v.label,
    ...(v.description && { description: v.description }),
    type: 'query',
    datasource: prometheus,
    query: { qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    definition: query,
    refresh: 2,
    sort: 1,
    multi,
    includeAll: true,
    allValue: '.*',
    current: multi ? { selected: true, text: ['All'], value: ['$__all'] } : { selected: true, text: 'All', value: '$__all' },
    options: [],
    hide: 0,
    regex: '',
    skipUrlSync: false,
  };
}

/**
 * The dashboard JSON Grafana provisions: rows laid out top to bottom, panels left to right; the
 * `team` variable first, and every query scoped to it (team-scope.ts).
 */
export function buildDashboard(spec: DashboardSpec): Json {
  const panels: Json[] = [];
  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    panels.push({ id: id++, type: 'row', title: row.row, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of row.panels) {
      const w = p.width ?? 12;
      const h = p.height ?? 8;
      if (x + w > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      panels.push({
        id: id++,
        type: p.kind,
        title: p.title,
        description: p.description,
        datasource: prometheus,
        gridPos: { h, w, x, y },
        fieldConfig: fieldConfig(p),
        options: options(p),
        targets: targets(p),
        ...(p.kind === 'table' && {
          transformations: [
            { id: 'merge', options: {} },
            { id: 'organize', options: { excludeByName: { Time: true } } },
          ],
        }),
      });
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }

  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    editable: false,
    graphTooltip: 1,
    timezone: 'browser',
    refresh: '5s',
    time: { from: spec.from ?? 'now-30m', to: 'now' },
    timepicker: { refresh_intervals: ['5s', '10s', '30s', '1m', '5m'] },
    schemaVersion: 41,
    version: 1,
    fiscalYearStartMonth: 0,
    liveNow: false,
    links: (spec.links ?? []).map((l) => ({
      type: 'dashboards',
      title: l.title,
      tags: l.tags,
      asDropdown: true,
      includeVars: true, // the chosen team (and service) follow a trainee to the next dashboard
      keepTime: true,
      targetBlank: false,
      icon: 'external link',
      tooltip: '',
      url: '',
    })),
    annotations: {
      list: (spec.annotations ?? []).map((a) => ({
        name: a.name,
        datasource: prometheus,
        enable: true,
        hide: false,
        iconColor: a.color,
        expr: scopedToTeam(a.expr),
        step: '5s',
        titleFormat: a.title,
        textFormat: a.text,
        tagKeys: a.tagKeys.join(','),
        useValueForTime: a.useValueForTime ?? false,
      })),
    },
    templating: { list: [teamVariable, ...(spec.variables ?? [])].map(templateVariable) },
    panels,
  };
}
