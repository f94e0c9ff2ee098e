import { PromqlTeamError, teamNamePattern } from '@firedrill/conventions';

/**
 * A dashboard query as Prometheus receives it outside Grafana (the console's charts, the live
 * dashboard tests): Grafana's interval variables as 1m (four scrapes of the lab's 5 s interval at
 * the least), `$team` as the team given (Grafana's value for one chosen team) or else "All", and
 * every other multi-value template variable as "All" (`.*`).
 */
export function resolveGrafanaVariables(expr: string, options: { team?: string | undefined } = {}): string {
  const { team } = options;
  if (team !== undefined && !teamNamePattern.test(team)) throw new PromqlTeamError(`"${team}" is not a team name`);
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '1m')
    .replaceAll('$__range', '1h')
    .replace(/\$\{?(\w+)\}?/g, (_match, name: string) => (name === 'team' && team !== undefined ? team : '.*'));
}
