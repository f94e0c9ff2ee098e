/**
 * The provisioned dashboards, checked without a Grafana (none is installable here): the committed
 * JSON is what grafana/src generates, every query parses as PromQL, every data source exists, and
 * the panels follow the rules a dashboard linter would enforce.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { renderDashboards } from '@firedrill/dashboards/catalogue';
import {
  dashboardQueries,
  dashboardsDir,
  grafanaDir,
  loadDashboards,
  parsePromql,
  provisionedDatasources,
  resolveGrafanaVariables,
} from './dashboard-queries.ts';

const dashboards = loadDashboards();
const queries = dashboardQueries(dashboards);
const repoRoot = path.resolve(grafanaDir, '..');

// Every object in a dashboard that names a data source: panels, targets, annotations, variables.
function datasourceRefs(node: unknown, where: string, out: Array<{ where: string; ref: Record<string, string> }> = []) {
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) datasourceRefs(n, `${where}[${i}]`, out);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'datasource' && value && typeof value === 'object') out.push({ where: `${where}.${key}`, ref: value as Record<string, string> });
      else datasourceRefs(value, `${where}.${key}`, out);
    }
  }
  return out;
}

describe('generated dashboards', () => {
  it('when the dashboards are generated from grafana/src, then the committed JSON is exactly that (run `node grafana/src/generate.ts`)', () => {
    const generated = renderDashboards();
    expect(dashboards.map((d) => d.file)).toEqual(generated.map((g) => g.file).sort());
    for (const { file, text } of generated) expect(readFileSync(path.join(dashboardsDir, file), 'utf8'), file).toBe(text);
  });

  it('when Grafana loads them, then each has its own fixed uid and title and a Grafana 12 schema version', () => {
    const uids = dashboards.map((d) => d.json.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(new Set(dashboards.map((d) => d.json.title)).size).toBe(uids.length);
    for (const { file, json } of dashboards) {
      expect(json.uid, file).toMatch(/^firedrill-[a-z0-9-]{1,30}$/); // Grafana uids are at most 40 chars
      expect(json.schemaVersion, file).toBeGreaterThanOrEqual(39);
      expect(json.schemaVersion, file).toBeLessThanOrEqual(42);
    }
  });

  it('when counted, then there are the seven dashboards the lab needs, each with panels and queries', () => {
    expect(dashboards.map((d) => d.json.uid).sort()).toEqual(
      ['datastores', 'instructor', 'k6-load', 'payments', 'queue-worker', 'shop-overview', 'slos'].map((n) => `firedrill-${n}`),
    );
    for (const { file, json } of dashboards) expect(json.panels.filter((p: { type: string }) => p.type !== 'row').length, file).toBeGreaterThanOrEqual(6);
  });
});

describe('queries', () => {
  it("when every panel and annotation query is parsed with Prometheus' grammar, then none has a syntax error", () => {
    expect(queries.length).toBeGreaterThan(100);
    const broken = queries.map((q) => ({ where: q.where, errors: parsePromql(resolveGrafanaVariables(q.expr)).errors })).filter((q) => q.errors.length > 0);
    expect(broken).toEqual([]);
  });

  it('when the grammar meets a broken query, then it reports it (the check above can fail)', () => {
    expect(parsePromql('sum(rate(http_requests_total[1m]) by').errors).not.toEqual([]);
    expect(parsePromql('rate(http_requests_total[$__rate_interval])').errors).not.toEqual([]);
    expect(parsePromql(resolveGrafanaVariables('rate(http_requests_total{service=~"$service"}[$__rate_interval])')).errors).toEqual([]);
  });

  it('when a query takes a rate, then its window is $__rate_interval (never shorter than four scrapes)', () => {
    const fixedWindow = /\b(rate|irate|increase)\((?:[^()]|\([^()]*\))*\[(?!\$__rate_interval\])/;
    expect(fixedWindow.test('sum(rate(http_requests_total{service="api"}[5m]))')).toBe(true);
    expect(queries.filter((q) => fixedWindow.test(q.expr)).map((q) => q.where)).toEqual([]);
  });

  it('when a dashboard has template variables, then each is a label_values query on a metric its panels use', () => {
    for (const { json } of dashboards) {
      for (const v of json.templating.list) {
        const match = /^label_values\(([a-zA-Z_:][\w:]*)(\{[^{}]*\})?, (\w+)\)$/.exec(v.definition);
        expect(match, `${json.uid} $${v.name}`).not.toBeNull();
        expect(JSON.stringify(json.panels), `${json.uid} $${v.name} is used`).toContain(`$${v.name}`);
      }
    }
  });
});

describe('the team variable (a class, docs/decisions/0015)', () => {
  it('when a dashboard opens, then its first variable is the team, one at a time, "All" by default and `.*` for All', () => {
    for (const { json } of dashboards) {
      expect(json.templating.list[0], json.uid).toMatchObject({
        name: 'team',
        definition: 'label_values(up, team)',
        multi: false,
        includeAll: true,
        allValue: '.*',
        current: { value: '$__all' },
      });
    }
  });

  it('when any panel, annotation or other variable queries Prometheus, then every selector in it picks the chosen team (or no team)', () => {
    // Resolved for a team so the selectors parse; the matcher Grafana would send for team "blue".
    const unscoped = [
      ...queries.map((q) => ({ where: q.where, expr: q.expr })),
      ...dashboards.flatMap(({ json }) =>
        json.templating.list
          .filter((v: { name: string }) => v.name !== 'team')
          .map((v: { name: string; definition: string }) => ({
            where: `${json.uid} $${v.name}`,
            expr: v.definition.replace(/^label_values\((.*), \w+\)$/, '$1'),
          })),
      ),
    ].flatMap(({ where, expr }) => {
      const { selectors } = parsePromql(resolveGrafanaVariables(expr, { team: 'blue' }));
      expect(selectors.length, where).toBeGreaterThan(0);
      return selectors.filter((s) => !s.includes('team=~"blue|"')).map((s) => `${where}: ${s}`);
    });
    expect(unscoped).toEqual([]);
  });

  it('when a query is resolved outside Grafana, then $team is the team asked for, or All; a team name that is not one is refused', () => {
    const expr = 'sum(rate(http_requests_total{service=~"$service", team=~"$team|"}[$__rate_interval]))';
    expect(resolveGrafanaVariables(expr, { team: 'blue' })).toBe('sum(rate(http_requests_total{service=~".*", team=~"blue|"}[1m]))');
    expect(resolveGrafanaVariables(expr)).toBe('sum(rate(http_requests_total{service=~".*", team=~".*|"}[1m]))');
    expect(() => resolveGrafanaVariables(expr, { team: 'blue|green' })).toThrow(/not a team name/);
  });
});

describe('data sources', () => {
  const provisioned = provisionedDatasources();

  it('when a dashboard names a data source, then the provisioning files declare that uid with that type', () => {
    const byUid = new Map(provisioned.map((d) => [d.uid, d.type]));
    const refs = dashboards.flatMap(({ json }) => datasourceRefs(json, json.uid));
    expect(refs.length).toBeGreaterThan(queries.length);
    for (const { where, ref } of refs) {
      const uid = ref.uid ?? '(none)';
      expect(byUid.has(uid), `${where} uid ${uid}`).toBe(true);
      expect(byUid.get(uid), where).toBe(ref.type);
    }
  });

  it('when Prometheus links exemplars to traces and Jaeger links spans to metrics, then both point at provisioned uids', () => {
    const prometheus = provisioned.find((d) => d.uid === 'prometheus')!;
    const jaeger = provisioned.find((d) => d.uid === 'jaeger')!;
    expect(prometheus.type).toBe('prometheus');
    expect(jaeger.type).toBe('jaeger');
    expect(prometheus.jsonData!.exemplarTraceIdDestinations).toEqual([{ name: 'trace_id', datasourceUid: 'jaeger' }]);
    expect(jaeger.jsonData!.tracesToMetrics.datasourceUid).toBe('prometheus');
    for (const q of jaeger.jsonData!.tracesToMetrics.queries as Array<{ query: string }>) {
      // Grafana reads $$ as a literal $ in provisioning files; $__tags becomes the span's labels.
      expect(parsePromql(q.query.replaceAll('$$__tags', 'service="api"')).errors, q.query).toEqual([]);
    }
  });
});

describe('panels', () => {
  const panels = dashboards.flatMap(({ json }) =>
    json.panels.filter((p: { type: string }) => p.type !== 'row').map((p: Record<string, any>) => ({ uid: json.uid as string, p })),
  );

  it('when a panel shows numbers, then it says in what unit, has a description and a Prometheus data source', () => {
    for (const { uid, p } of panels) {
      expect(p.fieldConfig.defaults.unit, `${uid} / ${p.title}`).toMatch(/^\w+$/);
      expect(p.description, `${uid} / ${p.title}`).toBeTruthy();
      expect(p.datasource, `${uid} / ${p.title}`).toEqual({ type: 'prometheus', uid: 'prometheus' });
      expect(p.targets.length, `${uid} / ${p.title}`).toBeGreaterThan(0);
    }
  });

  it('when a dashboard is laid out, then panel ids are unique and no two panels overlap on the 24-column grid', () => {
    for (const { json } of dashboards) {
      const ids = json.panels.map((p: { id: number }) => p.id);
      expect(new Set(ids).size, json.uid).toBe(ids.length);
      const cells = new Set<string>();
      for (const { gridPos: g, title } of json.panels) {
        expect(g.x + g.w, `${json.uid} / ${title}`).toBeLessThanOrEqual(24);
        for (let x = g.x; x < g.x + g.w; x++) {
          for (let y = g.y; y < g.y + g.h; y++) {
            expect(cells.has(`${x},${y}`), `${json.uid} / ${title} overlaps at ${x},${y}`).toBe(false);
            cells.add(`${x},${y}`);
          }
        }
      }
    }
  });
});

describe('instructor separation', () => {
  const instructor = dashboards.find((d) => d.json.uid === 'firedrill-instructor')!;
  const trainee = dashboards.filter((d) => d !== instructor);

  it('when a trainee opens a shop dashboard, then nothing on it shows the faults or the fault plane', () => {
    for (const { file, json } of trainee) {
      expect(json.tags, file).not.toContain('instructor');
      expect(JSON.stringify(json), file).not.toMatch(/chaos_|toxiproxy_/);
    }
  });

  it('when the instructor opens theirs, then every active fault is an annotation from Prometheus and a panel', () => {
    expect(instructor.json.tags).toContain('instructor');
    const [faults] = instructor.json.annotations.list;
    expect(faults).toMatchObject({ datasource: { type: 'prometheus', uid: 'prometheus' }, enable: true });
    expect(parsePromql(faults.expr).metricNames).toEqual(['chaos_fault_active']);
    expect(faults.tagKeys.split(',')).toEqual(['family', 'target', 'mode', 'fault_team']);
    const panelMetrics = queries
      .filter((q) => q.kind === 'panel' && q.where.startsWith('firedrill-instructor'))
      .flatMap((q) => parsePromql(resolveGrafanaVariables(q.expr)).metricNames);
    expect(panelMetrics).toContain('chaos_fault_active');
  });

  it("when the instructor picks a team, then every fault query (annotation and panels) is that team's faults and a single lab's (fault_team empty), never another team's", () => {
    const faultSelectors = [instructor.json.annotations.list[0].expr, ...queries.filter((q) => q.where.startsWith('firedrill-instructor')).map((q) => q.expr)]
      .flatMap((expr) => parsePromql(resolveGrafanaVariables(expr, { team: 'blue' })).selectors)
      .filter((selector) => selector.startsWith('chaos_fault_active'));
    expect(faultSelectors.length).toBeGreaterThanOrEqual(4); // the annotation, the count, the table, the timeline
    for (const selector of faultSelectors) expect(selector).toMatch(/fault_team=~"blue\|"/);
  });

  it('when Grafana provisions the files, then the instructor dashboard is in the Instructor folder and the others in Firedrill', () => {
    const { providers } = parseYaml(readFileSync(path.join(grafanaDir, 'provisioning', 'dashboards', 'firedrill.yml'), 'utf8')) as {
      providers: Array<{ folder: string; type: string; options: { path: string } }>;
    };
    // docker-compose.yml mounts grafana/dashboards here; each provider reads one folder of it.
    const compose = readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('./grafana/dashboards:/var/lib/grafana/dashboards:ro');
    const folderOf = (file: string) =>
      providers.filter((p) => p.type === 'file' && path.posix.join('/var/lib/grafana/dashboards', file).startsWith(`${p.options.path}/`)).map((p) => p.folder);
    expect(folderOf(instructor.file)).toEqual(['Instructor']);
    for (const { file } of trainee) expect(folderOf(file), file).toEqual(['Firedrill']);
    for (const p of providers) {
      const local = path.join(dashboardsDir, path.posix.relative('/var/lib/grafana/dashboards', p.options.path));
      expect(existsSync(local) && readdirSync(local).some((f) => f.endsWith('.json')), p.options.path).toBe(true);
    }
  });
});
