import type { PrometheusClient } from '@firedrill/kit';

import { randomUUID } from 'node:crypto';
import type { FiringAlert, ReleaseRecord, RunView } from './observations.ts';

/**
 * The bot's only ways into the lab, each one a trainee has: the chaos controller's open alert list
 * (what Alertmanager reported), and the training process's ops API with the operator token —
 * releases, flags, the run as an operator sees it, and levers. Never the fault API, never a
 * scenario file: a test greps this folder to keep it so.
 */
export interface TraineeClients {
  firingAlerts(since: number): Promise<FiringAlert[]>;
  releases(): Promise<ReleaseRecord[]>;
  flags(): Promise<Record<string, boolean | number>>;
  runStatus(): Promise<RunView>;
  /** When the run began (its createdAt), for "alerts of this run". */
  runStartedAt(): Promise<number | undefined>;
  pullLever(lever: string): Promise<{ lever: string; summary: string }>;
  /** The team's incident as the lab keeps it (GET /api/incident/status): its pages, ack, status. */
  incidentStatus(): Promise<IncidentView>;
  /** One incident command (POST /api/incident/<name>), with a new Idempotency-Key. */
  incidentCommand(name: IncidentCommandName, body?: Record<string, unknown>): Promise<IncidentView>;
  /** One runbook step's status on the team's timeline (POST /api/runbooks/steps). */
  recordRunbookStep(step: { runbook: string; step: string; status: string; output: string }): Promise<void>;
  /** Whether a PromQL comparison returns anything now (a runbook's PromQL probe). */
  promqlHolds(expr: string): Promise<{ ok: boolean; output: string }>;
  /** The status a GET of a shop service's path answers (a runbook's HTTP probe). */
  httpStatus(service: 'api' | 'payments', path: string): Promise<number>;
  /** The review drafted from the ended run (GET /api/runs/{id}/pir/draft). */
  pirDraft(): Promise<{ markdown: string }>;
  /** The server's checker (POST /api/pir/check). */
  pirCheck(markdown: string, names: string[]): Promise<{ findings: Array<{ rule: string; line: number | null; message: string }>; score: number }>;
  /** Submit the review (POST /api/runs/{id}/pir). */
  pirSubmit(markdown: string): Promise<{ id: string; score: number; findings: unknown[] }>;
}

export type IncidentCommandName = 'ack' | 'declare' | 'role' | 'update' | 'note' | 'mitigated' | 'resolve';

/** The part of the incident view the bot reads. */
export interface IncidentView {
  status: 'none' | 'open' | 'declared' | 'mitigated' | 'resolved';
  pages: Array<{ at: string; alertname: string }>;
  acknowledged: { at: string } | null;
  incident: { id: string; title: string; severity: string } | null;
}

export interface TraineeClientOptions {
  runId: string;
  trainingUrl: string;
  chaosUrl: string;
  operatorToken: string;
  /** Recorded with each lever as who pulled it (X-Firedrill-Actor). */
  actorName: string;
  /** For runbook probes: Prometheus' query API and the shop's services. */
  prometheus?: PrometheusClient | undefined;
  serviceUrls?: { api?: string | undefined; payments?: string | undefined } | undefined;
  signal?: AbortSignal | undefined;
}

/** An answer the lab gave that is not what was asked: its problem+json detail when there is one. */
export class LabRequestError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'LabRequestError';
    this.status = status;
  }
}

const requestTimeoutMs = 10_000;
/** A lever may wait for a restart and its health check, or for a job's lock to expire. */
const leverTimeoutMs = 90_000;

export function traineeClients(options: TraineeClientOptions): TraineeClients {
  const headers = { authorization: `Bearer ${options.operatorToken}`, 'x-firedrill-actor': options.actorName };
  const run = encodeURIComponent(options.runId);
  const post = (body: unknown, extra: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', ...extra },
    body: JSON.stringify(body),
  });
  /** `send`: plain fetch, or a client that adds its own credentials (Prometheus'). */
  const call = async <T>(
    url: string,
    init: RequestInit = {},
    timeoutMs = requestTimeoutMs,
    send: (url: string, init: RequestInit) => Promise<Response> = fetch,
  ): Promise<T> => {
    const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
    const response = await send(url, { ...init, signal: AbortSignal.any(signals) });
    const body = (await response.json().catch(() => undefined)) as (T & { detail?: string; title?: string }) | undefined;
    if (!response.ok)
      throw new LabRequestError(response.status, `${init.method ?? 'GET'} ${url}: ${response.status} ${body?.detail ?? body?.title ?? ''}`.trim());
    if (body === undefined) throw new LabRequestError(response.status, `${url}: no JSON in the answer`);
    return body;
  };

  return {
    async firingAlerts(since) {
      const { alerts } = await call<{
        alerts: Array<{ alertname: string; severity: string | null; status: string; labels: Record<string, string>; firedAt: string }>;
      }>(`${options.chaosUrl}/api/alerts?limit=200`);
      return alerts
        .filter((a) => a.status === 'firing' && Date.parse(a.firedAt) >= since)
        .map((a) => ({ name: a.alertname, severity: a.severity, labels: a.labels, firedAt: Date.parse(a.firedAt) }));
    },
    async releases() {
      const { releases } = await call<{ releases: Array<Omit<ReleaseRecord, 'at'> & { at: string }> }>(`${options.trainingUrl}/api/releases?limit=100`, {
        headers,
      });
      return releases.map((r) => ({ service: r.service, action: r.action, version: r.version, previousVersion: r.previousVersion, at: Date.parse(r.at) }));
    },
    async flags() {
      return (await call<{ flags: Record<string, boolean | number> }>(`${options.trainingUrl}/api/flags`, { headers })).flags;
    },
    async runStatus() {
      const status = await call<RunView>(`${options.trainingUrl}/api/runs/${run}/status`, { headers });
      return { state: status.state, holdingForMs: status.holdingForMs, probes: status.probes };
    },
    async runStartedAt() {
      const answer = await call<{ createdAt?: string }>(`${options.trainingUrl}/api/runs/${run}`, { headers });
      return answer.createdAt ? Date.parse(answer.createdAt) : undefined;
    },
    async pullLever(lever) {
      return call<{ lever: string; summary: string }>(
        `${options.trainingUrl}/api/levers`,
        { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ lever }) },
        leverTimeoutMs,
      );
    },
    async incidentStatus() {
      return call<IncidentView>(`${options.trainingUrl}/api/incident/status`, { headers });
    },
    async incidentCommand(name, body = {}) {
      return call<IncidentView>(`${options.trainingUrl}/api/incident/${name}`, post(body, { 'idempotency-key': randomUUID() }));
    },
    async recordRunbookStep(step) {
      await call(`${options.trainingUrl}/api/runbooks/steps`, post(step));
    },
    async promqlHolds(expr) {
      if (!options.prometheus) return { ok: false, output: 'no Prometheus URL given to the bot' };
      const query = `/api/v1/query?${new URLSearchParams({ query: expr })}`;
      const body = await call<{ data?: { result?: Array<{ metric: Record<string, string>; value: [number, string] }> } }>(
        query,
        {},
        requestTimeoutMs,
        options.prometheus.fetch,
      );
      const result = body.data?.result ?? [];
      return { ok: result.length > 0, output: result.length > 0 ? result.map((r) => `${JSON.stringify(r.metric)} ${r.value[1]}`).join('\n') : 'no result' };
    },
    async httpStatus(service, path) {
      const base = options.serviceUrls?.[service];
      if (!base) throw new Error(`no URL for ${service} given to the bot`);
      const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(requestTimeoutMs) });
      await response.body?.cancel();
      return response.status;
    },
    async pirDraft() {
      return call<{ markdown: string }>(`${options.trainingUrl}/api/runs/${run}/pir/draft`, { headers });
    },
    async pirCheck(markdown, names) {
      return call(`${options.trainingUrl}/api/pir/check`, post({ markdown, names }));
    },
    async pirSubmit(markdown) {
      return call(`${options.trainingUrl}/api/runs/${run}/pir`, post({ markdown }));
    },
  };
}
