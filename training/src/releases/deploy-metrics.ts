import { trainingMetrics } from '@firedrill/conventions';
import { registerGauge, type Registry } from '@firedrill/kit';
import type { ReleaseRecord } from './release-history.ts';

/** lab_deploy_timestamp_seconds, set from every deploy and rollback (and from the history at start). */
export function createDeployMetrics(registry: Registry, singleShopTeam?: string) {
  const deployed = registerGauge(registry, trainingMetrics.deployTimestamp);
  return {
    /**
     * A release put `version` in place (for a rollback: the version it returned to). It carries the
     * `team` its shop's series carry (a class's team, or the single shop's label when it has one):
     * ServiceRestartingUnexpectedly matches a start to a deploy on (service, team).
     */
    released(release: Pick<ReleaseRecord, 'service' | 'at' | 'shop'>, runningVersion: string): void {
      const team = release.shop !== '' ? release.shop : singleShopTeam;
      const labels = { service: release.service, version: runningVersion, ...(team !== undefined && { team }) };
      deployed.set(labels, Math.floor(Date.parse(release.at) / 1000));
    },
  };
}

export type DeployMetrics = ReturnType<typeof createDeployMetrics>;
