import { describe, expect, it } from 'vitest';
import { PromqlTeamError, withTeamMatcher, withTeamSelector } from './promql-team.ts';

const blue = (query: string) => withTeamMatcher(query, 'blue');

describe('withTeamMatcher: a query for one shop scoped to one team', () => {
  it('adds the team to a bare metric, to a selector with matchers and to a matchers-only selector', () => {
    expect(blue('up')).toBe('up{team="blue"}');
    expect(blue('up{job="api"}')).toBe('up{job="api", team="blue"}');
    expect(blue('{__name__="up"}')).toBe('{__name__="up", team="blue"}');
    expect(blue('up{}')).toBe('up{team="blue"}');
  });

  it('scopes the lab’s scenario probes (recording-rule series and raw series)', () => {
    expect(blue('service:http_request_errors:ratio_rate1m{service="api"} < 0.05')).toBe(
      'service:http_request_errors:ratio_rate1m{service="api", team="blue"} < 0.05',
    );
    expect(blue('queue:bullmq_jobs_backlog:sum < 10')).toBe('queue:bullmq_jobs_backlog:sum{team="blue"} < 10');
    expect(blue('sum(rate(shop_orders_total{service="api",status="paid"}[30s])) > 0')).toBe(
      'sum(rate(shop_orders_total{service="api",status="paid", team="blue"}[30s])) > 0',
    );
    expect(blue('changes(process_start_time_seconds{service="api"}[60s]) == 0')).toBe(
      'changes(process_start_time_seconds{service="api", team="blue"}[60s]) == 0',
    );
    expect(
      blue(
        'sum(service:http_requests:rate1m{service="payments"}) < 2 * sum(service_route:http_requests:rate1m{service="api",method="POST",route="/api/orders"})',
      ),
    ).toBe(
      'sum(service:http_requests:rate1m{service="payments", team="blue"}) < 2 * sum(service_route:http_requests:rate1m{service="api",method="POST",route="/api/orders", team="blue"})',
    );
  });

  it('scopes the dashboards’ panel queries and leaves aggregations, label lists and ranges alone', () => {
    expect(blue('histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket{route!="/metrics"}[1m])))')).toBe(
      'histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket{route!="/metrics", team="blue"}[1m])))',
    );
    expect(blue('sum(rate(x[5m])) without (instance)')).toBe('sum(rate(x{team="blue"}[5m])) without (instance)');
    expect(blue('time() - max by (service) (worker_heartbeat_timestamp_seconds)')).toBe(
      'time() - max by (service) (worker_heartbeat_timestamp_seconds{team="blue"})',
    );
    expect(blue('a / on (service) group_left (version) b')).toBe('a{team="blue"} / on (service) group_left (version) b{team="blue"}');
    expect(blue('a > bool 0 and ignoring(le) b or c unless d')).toBe(
      'a{team="blue"} > bool 0 and ignoring(le) b{team="blue"} or c{team="blue"} unless d{team="blue"}',
    );
    expect(blue('rate(x[5m] offset 1m) @ end()')).toBe('rate(x{team="blue"}[5m] offset 1m) @ end()');
    expect(blue('max_over_time(deriv(x[1m])[10m:30s])')).toBe('max_over_time(deriv(x{team="blue"}[1m])[10m:30s])');
    expect(blue('(sum(rate(x[1m])) or vector(0)) * 1e3')).toBe('(sum(rate(x{team="blue"}[1m])) or vector(0)) * 1e3');
  });

  it('never touches strings, even ones that look like selectors or contain braces and quotes', () => {
    expect(blue('label_replace(up, "dst", "a{b}", "src", "(.*)")')).toBe('label_replace(up{team="blue"}, "dst", "a{b}", "src", "(.*)")');
    expect(blue('up{route="/a,b}c\\"d"}')).toBe('up{route="/a,b}c\\"d", team="blue"}');
    expect(blue('count_values("version", build_info)')).toBe('count_values("version", build_info{team="blue"})');
  });

  it('keeps a matcher that already names the same team, and refuses one for another team', () => {
    expect(blue('up{team="blue"}')).toBe('up{team="blue"}');
    expect(() => blue('up{team="green"}')).toThrow(PromqlTeamError);
    expect(() => blue('up{team=~".+"}')).toThrow(/already selects team=~".\+"/);
  });

  it('refuses a team that is not a team name and a query it cannot read', () => {
    expect(() => withTeamMatcher('up', 'blue"} or up{x="')).toThrow(/not a team name/);
    expect(() => blue('up{job="api"')).toThrow(/no "}"/);
    expect(() => blue('up{job="api}')).toThrow(/unterminated string/);
  });
});

describe('withTeamSelector: any one matcher on team (a Grafana variable)', () => {
  const variable = (query: string) => withTeamSelector(query, 'team=~"$team|"');

  it('adds the matcher to every selector, as withTeamMatcher adds a team, and leaves ranges with variables alone', () => {
    expect(variable('sum by (service) (rate(http_requests_total{service=~"$service"}[$__rate_interval]))')).toBe(
      'sum by (service) (rate(http_requests_total{service=~"$service", team=~"$team|"}[$__rate_interval]))',
    );
    expect(variable('time() - max(worker_heartbeat_timestamp_seconds)')).toBe('time() - max(worker_heartbeat_timestamp_seconds{team=~"$team|"})');
  });

  it('keeps the same matcher, refuses another on team, and refuses a matcher that is not one on team', () => {
    expect(variable('up{team=~"$team|"}')).toBe('up{team=~"$team|"}');
    expect(() => variable('up{team="blue"}')).toThrow(PromqlTeamError);
    expect(() => withTeamSelector('up', 'job="api"')).toThrow(/not one matcher on team/);
    expect(() => withTeamSelector('up', 'team="a"} or up{x="b"')).toThrow(/not one matcher on team/);
  });
});
