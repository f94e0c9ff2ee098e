import path from 'node:path';
import { teamPortsFor } from '@firedrill/lab-infra';
import type { LabConfig } from '../config/lab-config.ts';
import { httpOk } from '../supervisor/health-checks.ts';
import { httpUrl as http } from './lab-addresses.ts';
import { observabilityAuthHeaders, observabilityCredentialFiles } from './observability-credentials.ts';
import type { ProcessSpec } from './process-spec.ts';
import { singleShopTeam } from './prometheus-launch.ts';
import { requireBinary } from './require-binary.ts';

/** An instant query every Prometheus answers: the health check of the path through the label proxy. */
const probeQuery = `/api/v1/query?${new URLSearchParams({ query: 'vector(1)' })}`;

/**
 * A team's way to Prometheus, two processes: `prom-label-proxy` (prometheus-community) enforces
 * team="<team>" on every query, upstream the lab's Prometheus; `team-prometheus`
 * (prometheus-team-gate.ts) in front of it adds the lab's credentials. Trainees, and the console
 * for a trainee's charts, use the gate; only instructors and the lab's own parts ask Prometheus
 * directly. A pair per team: the single lab's one shop's, or each team's in a class.
 */
export function teamPrometheusProcesses(config: LabConfig): ProcessSpec[] {
  if (config.teams.length === 0) return teamGate(config, singleShopTeam, '', config.ports);
  return config.teams.flatMap((team, i) => teamGate(config, team, `${team}-`, teamPortsFor(config.portBase, i + 1)));
}

/** The gates the console sends trainees' charts through: one per team (the single lab's one). */
export function teamGateNames(config: Pick<LabConfig, 'teams'>): string[] {
  return config.teams.length === 0 ? ['team-prometheus'] : config.teams.map((team) => `${team}-team-prometheus`);
}

/** One team's pair; `namePrefix` '' for the single lab's, 'blue-' for team blue's in a class. */
function teamGate(config: LabConfig, team: string, namePrefix: string, ports: { teamPrometheus: number; promLabelProxy: number }): ProcessSpec[] {
  const labelProxyUrl = http(ports.promLabelProxy);
  return [
    {
      name: `${namePrefix}prom-label-proxy`,
      kind: 'infrastructure',
      port: ports.promLabelProxy,
      url: labelProxyUrl,
      dependsOn: ['prometheus'],
      restartOnCrash: true,
      // Without credentials Prometheus answers 401 through it: the lab's health check sends them.
      health: httpOk(`${labelProxyUrl}${probeQuery}`, observabilityAuthHeaders(config)),
      launch: () => ({
        command: requireBinary('prom-label-proxy'),
        // -error-on-replace: a query naming another team is refused (400), not silently rewritten.
        args: [
          '-insecure-listen-address',
          `127.0.0.1:${ports.promLabelProxy}`,
          '-upstream',
          http(config.ports.prometheus),
          '-label',
          'team',
          '-label-value',
          team,
          '-error-on-replace',
        ],
      }),
    },
    {
      name: `${namePrefix}team-prometheus`,
      kind: 'infrastructure',
      port: ports.teamPrometheus,
      url: http(ports.teamPrometheus),
      dependsOn: [`${namePrefix}prom-label-proxy`],
      restartOnCrash: true,
      health: httpOk(`${http(ports.teamPrometheus)}${probeQuery}`),
      launch: () => ({
        command: process.execPath,
        args: [path.join(config.repoRoot, 'lab', 'src', 'prometheus', 'team-gate-main.ts')],
        cwd: config.repoRoot,
        env: {
          ...config.inheritedEnv,
          HOST: '127.0.0.1',
          PORT: String(ports.teamPrometheus),
          UPSTREAM: labelProxyUrl,
          PROMETHEUS_CREDENTIALS_FILE: observabilityCredentialFiles(config).credentials,
        },
      }),
    },
  ];
}

/**
 * What only the native lab runs and sets for the team boundary: Compose keeps Prometheus without
 * basic auth and has no trainee accounts (whoever reaches its ports is on the Docker host), so it
 * has no team path; the console there answers every chart from Prometheus (TEAM_PROMETHEUS_URLS unset).
 * Its series carry no `team` label either, so training's deploy markers carry none (SHOP_TEAM_LABEL unset).
 */
export const nativeOnlyTeamBoundary = {
  processes: ['prom-label-proxy', 'team-prometheus'],
  variables: ['PROMETHEUS_CREDENTIALS_FILE', 'TEAM_PROMETHEUS_URLS', 'SHOP_TEAM_LABEL'],
} as const;

/** The console's TEAM_PROMETHEUS_URLS: a trainee's charts through their team's gate (the one shop's: "*"). */
export function consoleTeamPrometheusUrls(config: LabConfig): string {
  if (config.teams.length === 0) return `*=${http(config.ports.teamPrometheus)}`;
  return config.teams.map((team, i) => `${team}=${http(teamPortsFor(config.portBase, i + 1).teamPrometheus)}`).join(',');
}
