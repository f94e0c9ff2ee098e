import { gauge } from './metric-definition.ts';

/** The training process's metrics (lab process `training`). */
export const trainingMetrics = {
  /**
   * Deploy markers for dashboards: a Grafana annotation with "series value as timestamp" on
   * lab_deploy_timestamp_seconds * 1000 marks each deploy or rollback, labelled with the version it put in place.
   * In a class (docs/decisions/0015) it also carries the `team` whose shop it was; a single lab's has none.
   */
  deployTimestamp: gauge('lab_deploy_timestamp_seconds', 'When each service last started running each version through a deploy or a rollback (Unix seconds).', [
    'service',
    'version',
    'team',
  ]),
} as const;
