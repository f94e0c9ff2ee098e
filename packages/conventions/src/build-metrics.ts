import { gauge } from './metric-definition.ts';

/**
 * Which release of a service is running, as the "info" pattern exports it: one series per process
 * valued 1, the version in a label. A deploy shows on a dashboard as the label changing, and a
 * query can join it onto any other series of the service.
 */
export const buildMetrics = {
  buildInfo: gauge('shop_build_info', 'The running release of a shop service: always 1, the version in its label.', ['service', 'version']),
} as const;
