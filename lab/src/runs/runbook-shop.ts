import { readFileSync } from 'node:fs';
import { type BasicCredentials, type PrometheusClient, prometheusClient } from '@firedrill/kit';
import type { RunningLab } from '../cli/running-lab.ts';
import { traineeConfigDir } from '../ssh/trainee-account.ts';
import { httpUrl } from '../topology/lab-addresses.ts';
import { teamPrometheusPlaces } from '../topology/team-prometheus-tokens.ts';
import { labUrlsOf } from './bot-trainee.ts';

/** What `lab runbook run` aims at: the shop its commands and probes reach, the Prometheus they ask, and the team its levers and steps name. */
export interface RunbookShop {
  /** The class's team whose shop it is (levers and steps name it); undefined: the single lab's one shop. */
  team?: string;
  apiUrl: string;
  paymentsUrl: string;
  /** Where probes and the commands' $FIREDRILL_PROMETHEUS_URL ask: in a class, only the team's series ever answer. */
  prometheus: PrometheusClient;
}

/**
 * Who asks Prometheus: the lab's own user (the state dir's credentials, when Prometheus wants
 * them), or a trainee with its team's gate (its ~/.config/firedrill/prometheus-url and -token,
 * written by `lab trainees add`; the lab's credentials are never the trainee's to read).
 */
export type PrometheusAccess = { kind: 'lab'; credentials?: BasicCredentials | undefined } | { kind: 'gate'; url: string; token: string };

/**
 * The shop a runbook acts on (docs/decisions/0015): the single lab's (team undefined), or a
 * class's team's — its api and payments as the bot reaches them (labUrlsOf), and its Prometheus
 * scoped to its team, so a probe or a diagnose command sees that team's series and no other's. The
 * lab's user asks through the team's prom-label-proxy (team="<team>" enforced on every query; the
 * lab's credentials pass through it to Prometheus); a trainee through its gate, which is the same
 * label proxy behind the team's token. So a runbook's PromQL is the same text in a class.
 */
export function runbookShop(lab: Pick<RunningLab, 'ports' | 'state'>, stateDir: string, team: string | undefined, access: PrometheusAccess): RunbookShop {
  const urls = labUrlsOf(lab, team ?? null);
  return {
    ...(team !== undefined && { team }),
    apiUrl: urls.api,
    paymentsUrl: urls.payments,
    prometheus:
      access.kind === 'gate'
        ? // Basic auth with the token as its password (the gate takes either form): the runbook's curl
          // commands then carry it in $FIREDRILL_PROMETHEUS_URL, as the lab user's carry its credentials.
          prometheusClient({ url: access.url, credentials: { username: team ?? 'trainee', password: access.token } })
        : labUsersPrometheus(lab, stateDir, team, access.credentials),
  };
}

function labUsersPrometheus(
  lab: Pick<RunningLab, 'ports' | 'state'>,
  stateDir: string,
  team: string | undefined,
  credentials: BasicCredentials | undefined,
): PrometheusClient {
  if (team === undefined) return prometheusClient({ url: httpUrl(lab.ports.prometheus), credentials });
  const places = teamPrometheusPlaces({ stateDir, teams: lab.state.teams ?? [], ports: lab.ports, portBase: lab.state.portBase });
  const place = places.find((p) => p.team === team);
  if (!place) throw new Error(`no team "${team}" in this class (${places.map((p) => p.team).join(', ')})`);
  return prometheusClient({ url: httpUrl(place.labelProxyPort), credentials });
}

/** A trainee's way to its team's Prometheus, from its account's files; undefined where the lab wrote none (a lab without gates). */
export function traineePrometheusAccess(home: string): PrometheusAccess | undefined {
  const file = (name: string) => readFileSync(`${traineeConfigDir(home)}/${name}`, 'utf8').trim();
  try {
    const url = file('prometheus-url');
    const token = file('prometheus-token');
    return url && token ? { kind: 'gate', url, token } : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
