import { HttpProblem, type PrometheusClient, prometheusClient, problems } from '@firedrill/kit';
import type { Caller } from '../session/session-store.ts';

/**
 * Where a signed-in person's charts come from. The instructor's: the lab's Prometheus itself
 * (fault annotations included). Anyone else's: their team's way to Prometheus — the lab's gate
 * in front of prom-label-proxy, which enforces team="<their team>" and so never returns a fault
 * metric or another team's series. `teamUrls` is TEAM_PROMETHEUS_URLS parsed; "*" is every team
 * (a lab with one shop). Without it (Compose, a lab with no trainee boundary) everyone is
 * answered from `prometheus`, as before.
 */
export function chartSource(options: { prometheus: PrometheusClient; teamUrls: ReadonlyMap<string, string> | undefined }) {
  const teamClients = new Map([...(options.teamUrls ?? [])].map(([team, url]) => [team, prometheusClient({ url })]));
  return (caller: Caller): PrometheusClient => {
    if (caller.role === 'instructor' || !options.teamUrls) return options.prometheus;
    const client = (caller.team !== null ? teamClients.get(caller.team) : undefined) ?? teamClients.get('*');
    // Never a fallback to the unfiltered Prometheus: no team path, no charts.
    if (!client)
      throw new HttpProblem(problems.forbidden, `No Prometheus path is configured for ${caller.team ? `team ${caller.team}` : 'a caller without a team'}`);
    return client;
  };
}

/** TEAM_PROMETHEUS_URLS: "blue=http://127.0.0.1:7491,green=http://127.0.0.1:7591" (or "*=…"). */
export function parseTeamPrometheusUrls(value: string | undefined): Map<string, string> | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const entries = value.split(',').map((entry) => {
    const match = /^\s*([A-Za-z0-9_*-]+)\s*=\s*(https?:\/\/\S+)\s*$/.exec(entry);
    if (!match) throw new Error(`TEAM_PROMETHEUS_URLS: "${entry}" is not team=url`);
    return [match[1]!, new URL(match[2]!).toString().replace(/\/+$/, '')] as const;
  });
  return new Map(entries);
}
