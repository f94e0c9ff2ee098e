import { gauge } from './metric-definition.ts';

/** The training process's metrics (lab process `training`). */
export const trainingMetrics = {
  /**
   * Deploy markers for dashboards: changes(lab_deploy_timestamp_seconds[1m]) > 0 draws an
   * annotation where a deploy or a rollback happened, labelled with the version it put in place.
   */
  deployTimestamp: gauge('lab_deploy_timestamp_seconds', 'When each service last started running each version through a deploy or a rollback (Unix seconds).', [
    'service',
    'version',
  ]),
} as const;
