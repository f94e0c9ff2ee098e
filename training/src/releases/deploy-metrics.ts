import { trainingMetrics } from '@firedrill/conventions';
import { registerGauge, type Registry } from '@firedrill/kit';
import type { ReleaseRecord } from './release-history.ts';

/** lab_deploy_timestamp_seconds, set from every deploy and rollback (and from the history at start). */
export function createDeployMetrics(registry: Registry) {
  const deployed = registerGauge(registry, trainingMetrics.deployTimestamp);
  return {
    /**
     * A release put `version` in place (for a rollback: the version it returned to). A class's
     * team's release carries its `team`, as the team's shop's series do (the restart alert matches on it).
     */
    released(release: Pick<ReleaseRecord, 'service' | 'at' | 'shop'>, runningVersion: string): void {
      const labels = { service: release.service, version: runningVersion, ...(release.shop !== '' && { team: release.shop }) };
      deployed.set(labels, Math.floor(Date.parse(release.at) / 1000));
    },
  };
}

export type DeployMetrics = ReturnType<typeof createDeployMetrics>;
