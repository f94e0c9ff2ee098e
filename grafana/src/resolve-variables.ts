/**
 * A dashboard query as Prometheus receives it outside Grafana (the console's charts, the live
 * dashboard tests): Grafana's interval variables as 1m (four scrapes of the lab's 5 s interval at
 * the least) and every multi-value template variable as "All" (`.*`).
 */
export function resolveGrafanaVariables(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '1m')
    .replaceAll('$__range', '1h')
    .replace(/\$\{?(\w+)\}?/g, '.*');
}
