import { existsSync } from 'node:fs';
import { type BasicCredentials, type PrometheusClient, prometheusClient, readBasicCredentials } from '@firedrill/kit';
import type { LabConfig } from '../config/lab-config.ts';
import { observabilityCredentialFiles } from '../topology/observability-credentials.ts';

/** The running lab's Prometheus credentials (state dir), or undefined before the first `lab up`. */
export function labPrometheusCredentials(config: Pick<LabConfig, 'stateDir'>): BasicCredentials | undefined {
  const file = observabilityCredentialFiles(config).credentials;
  return existsSync(file) ? readBasicCredentials(file) : undefined;
}

/** The lab's own Prometheus as the lab's CLI asks it: with the state dir's credentials. */
export function labPrometheus(config: Pick<LabConfig, 'stateDir'>, port: number): PrometheusClient {
  return prometheusClient({ url: `http://127.0.0.1:${port}`, credentials: labPrometheusCredentials(config) });
}
