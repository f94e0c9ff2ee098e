import { HttpProblem, type PrometheusClient, prometheusClient, problems, readToken } from '@firedrill/kit';
import type { Caller } from '../session/session-store.ts';
import type { ConsolePanel } from './console-panels.ts';

/** A team's way to Prometheus: its gate's URL and the team's token the gate wants. */
export interface TeamPrometheusPath {
  url: string;
  token: string;
}

/**
 * Where a signed-in person's charts come from. The instructor's: the lab's Prometheus itself
 * (fault annotations included). Anyone else's: their team's way to Prometheus — the lab's gate
 * (which wants the team's token) in front of prom-label-proxy, which enforces team="<their team>"
 * and so never returns a fault metric or another team's series. `team` is the team the chart is
 * for (chart-team.ts): a trainee's own; in a class the operator's pick, whose way it then takes
 * (the operator has no team of its own, and never the unfiltered Prometheus). `teamPaths` is
 * TEAM_PROMETHEUS_URLS with TEAM_PROMETHEUS_TOKEN_FILES; "*" is every team (a lab with one shop).
 * Without it (Compose, a lab with no trainee boundary) everyone is answered from `prometheus`, as before.
 * `reads`: whose series the chart reads (console-panels.ts); a class's shared ones come from `prometheus`.
 */
export function chartSource(options: { prometheus: PrometheusClient; teamPaths: ReadonlyMap<string, TeamPrometheusPath> | undefined }) {
  const teamClients = new Map([...(options.teamPaths ?? [])].map(([team, { url, token }]) => [team, prometheusClient({ url, token })]));
  return (caller: Caller, team?: string, reads: ConsolePanel['reads'] = 'shop'): PrometheusClient => {
    if (caller.role === 'instructor' || !options.teamPaths) return options.prometheus;
    // A class's shared planes (the one Postgres server's max_connections) carry no team, so no
    // team's gate returns them: a `shared` panel (console-panels.ts: pg_* only) is read from the
    // lab's Prometheus, its query limited to the team's series and those without a team
    // (query-range.ts, chartQuery). The single lab's exporter carries the shop's team ("open"):
    // its gate returns it, as before.
    if (reads === 'shared' && team !== undefined) return options.prometheus;
    const whose = team ?? caller.team;
    const client = (whose !== null ? teamClients.get(whose) : undefined) ?? teamClients.get('*');
    // Never a fallback to the unfiltered Prometheus: no team path, no charts.
    if (!client) throw new HttpProblem(problems.forbidden, `No Prometheus path is configured for ${whose ? `team ${whose}` : 'a caller without a team'}`);
    return client;
  };
}

/**
 * TEAM_PROMETHEUS_URLS ("blue=http://127.0.0.1:7591,green=http://127.0.0.1:7691", or "*=…") and
 * TEAM_PROMETHEUS_TOKEN_FILES ("blue=/…/secrets/team-prometheus-blue-token,…", the same teams):
 * each team's path, its token read once here. Refused at start when a team has a URL and no token
 * file or the other way round: a gate without its token answers only 401.
 */
export function parseTeamPrometheusPaths(
  urls: string | undefined,
  tokenFiles: string | undefined,
  readTokenFile: (file: string) => string = readToken,
): Map<string, TeamPrometheusPath> | undefined {
  const urlOf = parseTeamMap('TEAM_PROMETHEUS_URLS', 'url', urls, (value) => new URL(value).toString().replace(/\/+$/, ''));
  const fileOf = parseTeamMap('TEAM_PROMETHEUS_TOKEN_FILES', 'file', tokenFiles, (value) => value);
  if (!urlOf && !fileOf) return undefined;
  const teams = [...new Set([...(urlOf?.keys() ?? []), ...(fileOf?.keys() ?? [])])];
  const missing = teams.filter((team) => !urlOf?.has(team) || !fileOf?.has(team));
  if (missing.length > 0)
    throw new Error(`TEAM_PROMETHEUS_URLS and TEAM_PROMETHEUS_TOKEN_FILES must name the same teams: ${missing.join(', ')} is in only one of them`);
  return new Map(teams.map((team) => [team, { url: urlOf!.get(team)!, token: readTokenFile(fileOf!.get(team)!) }]));
}

/** "team=value,team=value" (a team is a name or "*"). */
function parseTeamMap(setting: string, what: string, value: string | undefined, parse: (value: string) => string): Map<string, string> | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const entries = value.split(',').map((entry) => {
    const match = /^\s*([A-Za-z0-9_*-]+)\s*=\s*(\S+)\s*$/.exec(entry);
    if (!match || (what === 'url' && !/^https?:\/\//.test(match[2]!))) throw new Error(`${setting}: "${entry}" is not team=${what}`);
    return [match[1]!, parse(match[2]!)] as const;
  });
  return new Map(entries);
}
