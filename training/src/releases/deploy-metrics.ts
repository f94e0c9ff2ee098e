import { trainingMetrics } from '@firedrill/conventions';
import { registerGauge, type Registry } from '@firedrill/kit';
import type { ReleaseRecord } from './release-history.ts';

/** lab_deploy_timestamp_seconds, set from every deploy and rollback (and from the history at start). */
export function createDeployMetrics(registry: Registry) {
  const deployed = registerGauge(registry, trainingMetrics.deployTimestamp);
  return {
    /** A release put `version` in place (for a rollback: the version it returned to). */
    released(release: Pick<ReleaseRecord, 'service' | 'at'>, runningVersion: string): void {
      deployed.set({ service: release.service, version: runningVersion }, Math.floor(Date.parse(release.at) / 1000));
    },
  };
}

export type DeployMetrics = ReturnType<typeof createDeployMetrics>;
