import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chaosTokenFiles } from '../chaos/chaos-tokens.ts';
import type { LabConfig } from '../config/lab-config.ts';
import { renderPrometheusConfig, type ScrapeTarget } from '../prometheus/prometheus-config.ts';
import type { Launch } from './process-spec.ts';
import { teamScrapeTargets } from './team-shops.ts';
import { requireBinary } from './require-binary.ts';

/** Every process Prometheus scrapes in the native lab: each one the lab runs. */
export function scrapeTargets(config: LabConfig): ScrapeTarget[] {
  const { ports } = config;
  return [
    // The shop: the single lab's, or each team's with its `team` label (a class, docs/decisions/0015).
    ...(config.teams.length === 0
      ? [
          { job: 'api', port: ports.api, metricsPath: '/metrics' },
          { job: 'payments', port: ports.payments, metricsPath: '/metrics' },
          { job: 'worker', port: ports.worker, metricsPath: '/metrics' },
        ]
      : teamScrapeTargets(config)),
    { job: 'chaos', port: ports.chaos, metricsPath: '/metrics', bearerTokenFile: chaosTokenFiles(config).instructor },
    // Deploy markers (lab_deploy_timestamp_seconds) for the dashboards' annotations.
    { job: 'training', port: ports.training, metricsPath: '/metrics' },
    // The console's own request rates and memory (its sessions and event streams).
    { job: 'console', port: ports.console, metricsPath: '/metrics' },
    { job: 'toxiproxy', port: ports.toxiproxy, metricsPath: '/metrics' },
    { job: 'postgres-exporter', port: ports.postgresExporter, metricsPath: '/metrics' },
    { job: 'redis-exporter', port: ports.redisExporter, metricsPath: '/metrics' },
    { job: 'alertmanager', port: ports.alertmanager, metricsPath: '/metrics' },
    { job: 'prometheus', port: ports.prometheus, metricsPath: '/metrics' },
  ];
}

export function preparePrometheus(config: LabConfig): Launch {
  const dir = path.join(config.stateDir, 'prometheus');
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const configFile = path.join(dir, 'prometheus.yml');
  const { ports } = config;
  writeFileSync(
    configFile,
    renderPrometheusConfig({
      rulesDir: path.join(config.repoRoot, 'prometheus', 'rules'),
      alertmanagerPort: ports.alertmanager,
      targets: scrapeTargets(config),
    }),
  );
  return {
    command: requireBinary('prometheus'),
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${ports.prometheus}`,
      '--storage.tsdb.retention.time=2d',
      '--web.enable-remote-write-receiver', // k6 pushes its results here
      '--web.enable-lifecycle',
    ],
    cwd: dir,
  };
}
