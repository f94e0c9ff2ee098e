import path from 'node:path';
import { ensureTokenFile } from '@firedrill/kit';
import { teamPortsFor } from '@firedrill/lab-infra';
import type { LabConfig } from '../config/lab-config.ts';
import { httpUrl as http } from './lab-addresses.ts';
import { singleShopTeam } from './single-shop-team.ts';

/** A team's way to Prometheus: its gate's port, its prom-label-proxy's, and the token the gate wants. */
export interface TeamPrometheusPlace {
  /** The `team` label value the proxy enforces: the team's name, or the single lab's `open`. */
  team: string;
  gatePort: number;
  labelProxyPort: number;
  tokenFile: string;
}

/**
 * Each team's token for its gate, generated at the first `lab up` (kit ensureTokenFile: 0600 in
 * secrets/, the lab's user's): `secrets/team-prometheus-<team>-token`. The console holds every
 * team's (the lab's user); a trainee's account holds a copy of its own team's only.
 */
export function teamPrometheusTokenFile(config: Pick<LabConfig, 'stateDir'>, team: string): string {
  return path.join(config.stateDir, 'secrets', `team-prometheus-${team}-token`);
}

/** The single lab's one place (its shop's series are labelled `open`), or one per team in a class. */
export function teamPrometheusPlaces(config: Pick<LabConfig, 'stateDir' | 'teams' | 'ports' | 'portBase'>): TeamPrometheusPlace[] {
  const place = (team: string, ports: { teamPrometheus: number; promLabelProxy: number }): TeamPrometheusPlace => ({
    team,
    gatePort: ports.teamPrometheus,
    labelProxyPort: ports.promLabelProxy,
    tokenFile: teamPrometheusTokenFile(config, team),
  });
  if (config.teams.length === 0) return [place(singleShopTeam, config.ports)];
  return config.teams.map((team, i) => place(team, teamPortsFor(config.portBase, i + 1)));
}

/** Generates the tokens not made yet (idempotent; every launch that reads them calls it first). */
export function ensureTeamPrometheusTokens(config: Pick<LabConfig, 'stateDir' | 'teams' | 'ports' | 'portBase'>): void {
  for (const place of teamPrometheusPlaces(config)) ensureTokenFile(place.tokenFile);
}

/**
 * What a trainee of `team` keeps in ~/.config/firedrill to query its team's Prometheus from the
 * shell (each 0600, the trainee's): the token, the same as a curl header file (`curl -H @file`,
 * so it never shows on a command line that `ps` shows everyone), and the gate's URL, which the
 * profile exports as FIREDRILL_PROMETHEUS_URL. The single lab's one gate serves every team.
 * Empty for a team the class does not have.
 */
export function traineeTeamPrometheusFiles(
  config: Pick<LabConfig, 'stateDir' | 'teams' | 'ports' | 'portBase'>,
  team: string,
): Array<{ name: string; text: string }> {
  const place = config.teams.length === 0 ? teamPrometheusPlaces(config)[0] : teamPrometheusPlaces(config).find((p) => p.team === team);
  if (!place) return [];
  const token = ensureTokenFile(place.tokenFile);
  return [
    { name: 'prometheus-token', text: `${token}\n` },
    { name: 'prometheus-auth-header', text: `Authorization: Bearer ${token}\n` },
    { name: 'prometheus-url', text: `${http(place.gatePort)}\n` },
  ];
}
