import path from 'node:path';
import { readToken } from '@firedrill/kit';
import type { LabConfig } from '../config/lab-config.ts';
import { type HealthCheck, httpOk } from '../supervisor/health-checks.ts';
import { httpUrl as http } from './lab-addresses.ts';
import { observabilityAuthHeaders, observabilityCredentialFiles } from './observability-credentials.ts';
import type { ProcessSpec } from './process-spec.ts';
import { requireBinary } from './require-binary.ts';
import { ensureTeamPrometheusTokens, type TeamPrometheusPlace, teamPrometheusPlaces } from './team-prometheus-tokens.ts';
import { teamNamePrefix } from './team-shops.ts';

/** An instant query every Prometheus answers: the health check of the path through the label proxy. */
const probeQuery = `/api/v1/query?${new URLSearchParams({ query: 'vector(1)' })}`;

/** The one process that serves every team's gate. */
export const teamGateProcess = 'team-prometheus';

/**
 * Each team's way to Prometheus: a `prom-label-proxy` (prometheus-community, Go, ~10 MiB) per
 * team enforcing team="<team>" on every query, upstream the lab's Prometheus; and in front of
 * them one `team-prometheus` process (lab/src/prometheus/team-gate.ts) listening on each team's
 * gate port, which wants that team's token and adds the lab's credentials. One Node process for
 * every team's gate, not one per team: a Node process costs ~60 MiB, a team's whole budget is
 * 250 MB. Trainees, and the console for a trainee's charts, use the gates; only instructors and
 * the lab's own parts ask Prometheus directly.
 */
export function teamPrometheusProcesses(config: LabConfig): ProcessSpec[] {
  const places = teamPrometheusPlaces(config);
  const inClass = config.teams.length > 0;
  const namePrefix = (place: TeamPrometheusPlace) => (inClass ? teamNamePrefix(place.team) : '');
  const [first, ...others] = places as [TeamPrometheusPlace, ...TeamPrometheusPlace[]];
  return [
    // A class's label proxy is its team's (`lab status` lists it under the team); the single lab's one gate is nobody's.
    ...places.map((place) => ({ ...labelProxy(config, place, `${namePrefix(place)}prom-label-proxy`), ...(inClass && { team: place.team }) })),
    {
      name: teamGateProcess,
      kind: 'infrastructure',
      // `lab status` shows the first team's gate; the others are the same process's.
      port: first.gatePort,
      otherPorts: others.map((p) => p.gatePort),
      url: http(first.gatePort),
      dependsOn: places.map((place) => `${namePrefix(place)}prom-label-proxy`),
      restartOnCrash: true,
      health: everyGateAnswers(places),
      launch: () => {
        ensureTeamPrometheusTokens(config);
        return {
          command: process.execPath,
          args: [path.join(config.repoRoot, 'lab', 'src', 'prometheus', 'team-gate-main.ts')],
          cwd: config.repoRoot,
          env: {
            ...config.inheritedEnv,
            HOST: '127.0.0.1',
            TEAM_GATES: JSON.stringify(
              places.map((place) => ({ team: place.team, port: place.gatePort, upstream: http(place.labelProxyPort), tokenFile: place.tokenFile })),
            ),
            PROMETHEUS_CREDENTIALS_FILE: observabilityCredentialFiles(config).credentials,
          },
        };
      },
    },
  ];
}

function labelProxy(config: LabConfig, place: TeamPrometheusPlace, name: string): ProcessSpec {
  const url = http(place.labelProxyPort);
  return {
    name,
    kind: 'infrastructure',
    port: place.labelProxyPort,
    url,
    dependsOn: ['prometheus'],
    restartOnCrash: true,
    // Without credentials Prometheus answers 401 through it: the lab's health check sends them.
    health: httpOk(`${url}${probeQuery}`, observabilityAuthHeaders(config)),
    launch: () => ({
      command: requireBinary('prom-label-proxy'),
      // -error-on-replace: a query naming another team is refused (400), not silently rewritten.
      args: [
        '-insecure-listen-address',
        `127.0.0.1:${place.labelProxyPort}`,
        '-upstream',
        http(config.ports.prometheus),
        '-label',
        'team',
        '-label-value',
        place.team,
        '-error-on-replace',
      ],
    }),
  };
}

/**
 * Healthy when every team's gate answers a query with its team's token (so each port, its proxy and
 * Prometheus). Each token is read at the first check (the launch makes it) and kept: it lasts the lab's life.
 */
function everyGateAnswers(places: readonly TeamPrometheusPlace[]): HealthCheck {
  const checks = places.map((place) => {
    let token: string | undefined;
    return httpOk(`${http(place.gatePort)}${probeQuery}`, () => {
      token ??= readToken(place.tokenFile);
      return { authorization: `Bearer ${token}` };
    });
  });
  return async () => (await Promise.all(checks.map((check) => check()))).every(Boolean);
}

/**
 * What only the native lab runs and sets for the team boundary: Compose keeps Prometheus without
 * basic auth and has no trainee accounts (whoever reaches its ports is on the Docker host), so it
 * has no team path; the console there answers every chart from Prometheus (TEAM_PROMETHEUS_URLS unset).
 * Its series carry no `team` label either, so training's deploy markers carry none (SHOP_TEAM_LABEL unset).
 */
export const nativeOnlyTeamBoundary = {
  processes: ['prom-label-proxy', teamGateProcess],
  variables: ['PROMETHEUS_CREDENTIALS_FILE', 'TEAM_PROMETHEUS_URLS', 'TEAM_PROMETHEUS_TOKEN_FILES', 'SHOP_TEAM_LABEL'],
} as const;

/**
 * The console's way to each team's gate: TEAM_PROMETHEUS_URLS and TEAM_PROMETHEUS_TOKEN_FILES,
 * keyed alike — by team in a class, "*" (every caller) for the single lab's one gate.
 */
export function consoleTeamPrometheusEnv(config: LabConfig): { TEAM_PROMETHEUS_URLS: string; TEAM_PROMETHEUS_TOKEN_FILES: string } {
  ensureTeamPrometheusTokens(config);
  const places = teamPrometheusPlaces(config);
  const key = (place: TeamPrometheusPlace) => (config.teams.length === 0 ? '*' : place.team);
  return {
    TEAM_PROMETHEUS_URLS: places.map((place) => `${key(place)}=${http(place.gatePort)}`).join(','),
    TEAM_PROMETHEUS_TOKEN_FILES: places.map((place) => `${key(place)}=${place.tokenFile}`).join(','),
  };
}
