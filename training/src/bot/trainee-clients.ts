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
}

export interface TraineeClientOptions {
  runId: string;
  trainingUrl: string;
  chaosUrl: string;
  operatorToken: string;
  /** Recorded with each lever as who pulled it (X-Firedrill-Actor). */
  actorName: string;
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
  const call = async <T>(url: string, init: RequestInit = {}, timeoutMs = requestTimeoutMs): Promise<T> => {
    const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
    const response = await fetch(url, { ...init, signal: AbortSignal.any(signals) });
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
  };
}
