import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { basicAuthorization, type BasicCredentials, ensureBasicCredentialsFile, readBasicCredentials } from '@firedrill/kit';
import type { LabConfig } from '../config/lab-config.ts';

/** The user the lab's own parts sign in to Prometheus and Alertmanager as. */
export const observabilityUser = 'firedrill';

/**
 * The one credential that opens the lab's Prometheus and Alertmanager (basic auth), generated at
 * the first `lab up`, 0600 in the state dir beside the other secrets: "user:password" for the
 * lab's clients (PROMETHEUS_CREDENTIALS_FILE), and the password alone for Prometheus' own
 * config (password_file: scraping itself and Alertmanager, sending alerts). Trainees hold neither;
 * they query through their team's gate (lab/src/prometheus/team-gate.ts) with their team's token.
 */
export function observabilityCredentialFiles(config: Pick<LabConfig, 'stateDir'>) {
  return {
    credentials: path.join(config.stateDir, 'secrets', 'prometheus-credentials'),
    password: path.join(config.stateDir, 'secrets', 'prometheus-password'),
  };
}

export function ensureObservabilityCredentials(config: Pick<LabConfig, 'stateDir'>): BasicCredentials {
  const files = observabilityCredentialFiles(config);
  const credentials = ensureBasicCredentialsFile(files.credentials, observabilityUser);
  writeFileSync(files.password, `${credentials.password}\n`, { mode: 0o600 });
  return credentials;
}

/** The Authorization header the lab's health checks send to Prometheus and Alertmanager. */
export function observabilityAuthHeaders(config: Pick<LabConfig, 'stateDir'>): () => Record<string, string> {
  return () => ({ authorization: basicAuthorization(readBasicCredentials(observabilityCredentialFiles(config).credentials)) });
}
